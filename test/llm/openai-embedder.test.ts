import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/llm/create-embedder.ts';
import type { Embedder } from '../../src/llm/embedder.ts';
import { createLogger } from '../../src/log.ts';
import { FakeOpenAi, fakeEmbedding, MAX_EMBEDDING_INPUTS } from '../fakes/openai-server.ts';

const log = createLogger('silent');

describe('the OpenAI embeddings client', () => {
  let fake: FakeOpenAi;
  let sleeps: number[];
  const embedder = (settings: { apiKey?: string; dimensions?: number; maxRetries?: number } = {}): Embedder => {
    const created = createEmbedder(
      {
        apiKey: settings.apiKey,
        baseUrl: fake.baseUrl,
        model: 'text-embedding-3-small',
        dimensions: settings.dimensions,
        timeoutMs: 2000,
        maxRetries: settings.maxRetries ?? 2,
        retryBaseMs: 10,
      },
      { sleep: async (ms) => void sleeps.push(ms), now: () => Date.parse('2025-12-19T00:00:00Z'), log },
    );
    if (!created) throw new Error('no embedder');
    return created;
  };

  beforeEach(async () => {
    fake = await FakeOpenAi.start();
    sleeps = [];
  });
  afterEach(() => fake.close());

  it('GIVEN texts THEN one unit vector each, in order, with the tokens the server counted; the SDK asks for base64', async () => {
    const outcome = await embedder().embed(['expert offloading', 'speculative decoding']);
    expect(outcome.unavailable).toBeNull();
    expect(outcome.vectors.map((vector) => Array.from(vector))).toEqual([
      Array.from(fakeEmbedding('expert offloading', 64)),
      Array.from(fakeEmbedding('speculative decoding', 64)),
    ]);
    expect(outcome.tokens).toBe(Math.ceil('expert offloading'.length / 4) + Math.ceil('speculative decoding'.length / 4));
    expect(outcome.requests).toBe(1);
    expect(fake.embeddingRequests[0]?.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: ['expert offloading', 'speculative decoding'],
      encoding_format: 'base64',
    });
  });

  it('GIVEN OPENAI_EMBEDDING_DIMENSIONS THEN the server is asked for that size and the space names it', async () => {
    const client = embedder({ dimensions: 16 });
    expect(client.space).toBe('text-embedding-3-small@16');
    const outcome = await client.embed(['kv cache']);
    expect(outcome.vectors[0]).toHaveLength(16);
    expect(fake.embeddingRequests[0]?.body.dimensions).toBe(16);
    expect(embedder().space).toBe('text-embedding-3-small');
  });

  it('GIVEN a 429 with Retry-After THEN the request is repeated after at least that long', async () => {
    fake.script({ kind: 'status', status: 429, headers: { 'retry-after': '3' } });
    const outcome = await embedder().embed(['kv cache']);
    expect(outcome.unavailable).toBeNull();
    expect(outcome).toMatchObject({ requests: 2, retries: 1 });
    expect(sleeps).toEqual([3000]);
  });

  it('GIVEN a wrong key THEN the 401 is not retried and the call reports the server unavailable, with no vectors', async () => {
    fake.apiKey = 'sk-right';
    const outcome = await embedder({ apiKey: 'sk-wrong' }).embed(['kv cache']);
    expect(outcome).toMatchObject({ vectors: [], requests: 1, retries: 0 });
    expect(outcome.unavailable).toMatch(/^HTTP 401/);
    expect((await embedder({ apiKey: 'sk-right' }).embed(['kv cache'])).unavailable).toBeNull();
  });

  it('GIVEN an answer missing a vector THEN the call is refused whole rather than misaligned', async () => {
    fake.script({
      kind: 'status',
      status: 200,
      body: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [1, 0] }], model: 'm', usage: { prompt_tokens: 2, total_tokens: 2 } },
    });
    const outcome = await embedder().embed(['one', 'two']);
    expect(outcome.vectors).toEqual([]);
    expect(outcome.unavailable).toBe('embeddings answer has no usable vector for input 1');
  });
});

describe('the fake embeddings endpoint refuses what the real one refuses', () => {
  let fake: FakeOpenAi;
  beforeEach(async () => {
    fake = await FakeOpenAi.start();
  });
  afterEach(() => fake.close());

  const post = (body: unknown, key = 'sk-test') =>
    fetch(`${fake.baseUrl}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });

  it.each([
    ['an empty string', { model: 'm', input: '' }],
    ['an empty list', { model: 'm', input: [] }],
    ['an empty string in a list', { model: 'm', input: ['a', ''] }],
    [`${MAX_EMBEDDING_INPUTS + 1} inputs`, { model: 'm', input: Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => 'a') }],
    ['an input over 8,192 tokens', { model: 'm', input: ['x'.repeat(40_000)] }],
    ['no model', { input: ['a'] }],
    ['zero dimensions', { model: 'm', input: ['a'], dimensions: 0 }],
  ])('GIVEN %s THEN 400 invalid_request_error', async (_what, body) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('GIVEN a key other than the one set THEN 401 invalid_api_key; the right key is answered in the real shape', async () => {
    fake.apiKey = 'sk-test';
    const refused = await post({ model: 'm', input: ['a'] }, 'sk-other');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    const answered = await post({ model: 'm', input: ['a b'], encoding_format: 'float' });
    expect(await answered.json()).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: Array.from(fakeEmbedding('a b', 64)) }],
      model: 'm',
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  });
});
