import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A paper as the fake reads it from the user message (one JSON object per line). */
export type FakePaper = { readonly id: string; readonly title: string; readonly abstract: string; readonly categories: readonly string[] };

/** One entry of the `papers` answer list. */
export type FakeAnswer = { relevant: boolean; tags: string[]; tldr: string | null };

/** How the fake answers one request; scripted behaviours are used once each, in order. */
export type Behaviour =
  | { readonly kind: 'correct' }
  /** Every paper relevant with these tags (default: tags outside the 19-tag vocabulary). */
  | { readonly kind: 'off-vocabulary'; readonly tags?: readonly string[] }
  /** Leaves papers out of the answer (default: the first paper of the batch). */
  | { readonly kind: 'omit'; readonly ids?: readonly string[] }
  /** Answers the first paper twice, the second time differently. */
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'invalid-json' }
  /** Any assistant content, verbatim. */
  | { readonly kind: 'content'; readonly content: string }
  /** An HTTP error: 429 with Retry-After, 500, 401 … */
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: unknown }
  /** Never answers; the connection is dropped when the fake closes. */
  | { readonly kind: 'hang' };

export type ChatRequestBody = {
  model?: string;
  messages?: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  max_tokens?: number;
  temperature?: number;
};

export type EmbeddingsRequestBody = { model?: string; input?: unknown; dimensions?: unknown; encoding_format?: unknown };

export type RecordedEmbeddings = {
  readonly body: EmbeddingsRequestBody;
  readonly inputs: readonly string[];
  readonly behaviour: Behaviour['kind'];
  readonly at: number;
};

/** What the real endpoint allows: inputs per request, tokens per input. */
export const MAX_EMBEDDING_INPUTS = 2048;
export const MAX_EMBEDDING_INPUT_TOKENS = 8192;
/** The fake model's own vector size when a request asks for none. */
export const FAKE_EMBEDDING_DIMENSIONS = 64;

export type RecordedCompletion = {
  readonly body: ChatRequestBody;
  readonly papers: readonly FakePaper[];
  readonly behaviour: Behaviour['kind'];
  readonly at: number;
};

/** The default correct answer: relevant, tagged `serving`, with a TL;DR naming the paper. */
export function defaultAnswer(paper: FakePaper): FakeAnswer {
  return { relevant: true, tags: ['serving'], tldr: `Speeds up LLM serving for ${paper.id}; achieves 2x higher throughput.` };
}

/**
 * A local OpenAI-compatible server: `POST /v1/chat/completions` answers the papers it finds in the
 * last user message — correctly by default (via `answer`), or as scripted (off-vocabulary tags, an
 * omitted paper, invalid JSON, 429/500, a hang). `POST /v1/embeddings` answers in the real shape
 * (floats, or base64 as the SDK asks by default) with vectors that hash each word of the text into
 * a dimension, so texts sharing words are close; it refuses what the real one refuses: an empty
 * input, more than 2,048 inputs, an input over 8,192 tokens, a bad `dimensions` (400), and with
 * `apiKey` set, any other key (401). Scripted behaviours apply to both endpoints, in arrival
 * order. Every request is recorded; usage is reported as characters / 4 so token accounting has
 * something real to add up.
 */
export class FakeOpenAi {
  readonly requests: RecordedCompletion[] = [];
  readonly embeddingRequests: RecordedEmbeddings[] = [];
  /** Set: requests must carry `Authorization: Bearer <apiKey>` (as OpenAI's do); null: a keyless local server. */
  apiKey: string | null = null;
  /** Added before every answer, like a real model's response time. */
  latencyMs = 0;
  answer: (paper: FakePaper) => FakeAnswer = defaultAnswer;
  readonly #scripts: Behaviour[] = [];
  readonly #events = new EventEmitter();
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  #base = '';

  static async start(options: { latencyMs?: number } = {}): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi();
    fake.latencyMs = options.latencyMs ?? 0;
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server, 'listening');
    fake.#base = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** OPENAI_BASE_URL for this fake. */
  get baseUrl(): string {
    return `${this.#base}/v1`;
  }

  script(...behaviours: Behaviour[]): void {
    this.#scripts.push(...behaviours);
  }

  /** Resolves once `count` requests have arrived in total. */
  async waitForRequests(count: number): Promise<void> {
    while (this.requests.length < count) await once(this.#events, 'request');
  }

  /** Resolves once `count` embeddings requests have arrived in total. */
  async waitForEmbeddingRequests(count: number): Promise<void> {
    while (this.embeddingRequests.length < count) await once(this.#events, 'request');
  }

  /** Every paper id the fake was asked about, in request order (repeats included). */
  askedIds(): string[] {
    return this.requests.flatMap((request) => request.papers.map((paper) => paper.id));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const known = request.method === 'POST' && (request.url === '/v1/chat/completions' || request.url === '/v1/embeddings');
    if (!known) {
      sendJson(response, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
      return;
    }
    if (this.apiKey !== null && request.headers.authorization !== `Bearer ${this.apiKey}`) {
      await readBody(request);
      const message = 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.';
      sendJson(response, 401, { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      return;
    }
    if (request.url === '/v1/embeddings') {
      await this.#embeddings(request, response);
      return;
    }
    const body = JSON.parse(await readBody(request)) as ChatRequestBody;
    const papers = papersIn(body);
    const behaviour = this.#scripts.shift() ?? { kind: 'correct' };
    this.requests.push({ body, papers, behaviour: behaviour.kind, at: Date.now() });
    this.#events.emit('request');
    if (behaviour.kind === 'hang') return;
    if (this.latencyMs > 0) await new Promise((done) => setTimeout(done, this.latencyMs));
    if (response.destroyed) return;
    if (behaviour.kind === 'status') {
      response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      response.end(JSON.stringify(behaviour.body ?? { error: { message: `scripted ${behaviour.status}`, type: 'server_error' } }));
      return;
    }
    const content = this.#content(behaviour, papers);
    const promptChars = (body.messages ?? []).reduce((sum, message) => sum + String(message.content).length, 0);
    const usage = { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(content.length / 4) };
    sendJson(response, 200, {
      id: `chatcmpl-fake-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? 'fake',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content, refusal: null } }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  }

  async #embeddings(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = JSON.parse(await readBody(request)) as EmbeddingsRequestBody;
    const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : null;
    const behaviour = this.#scripts.shift() ?? { kind: 'correct' };
    this.embeddingRequests.push({ body, inputs: (inputs ?? []).map(String), behaviour: behaviour.kind, at: Date.now() });
    this.#events.emit('request');
    if (behaviour.kind === 'hang') return;
    if (this.latencyMs > 0) await new Promise((done) => setTimeout(done, this.latencyMs));
    if (response.destroyed) return;
    if (behaviour.kind === 'status') {
      response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      response.end(JSON.stringify(behaviour.body ?? { error: { message: `scripted ${behaviour.status}`, type: 'server_error' } }));
      return;
    }
    const refusal = embeddingsRefusal(body, inputs);
    if (refusal) {
      sendJson(response, 400, { error: { message: refusal, type: 'invalid_request_error', param: null, code: null } });
      return;
    }
    const texts = (inputs ?? []) as string[];
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : FAKE_EMBEDDING_DIMENSIONS;
    const tokens = texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    sendJson(response, 200, {
      object: 'list',
      data: texts.map((text, index) => {
        const vector = fakeEmbedding(text, dimensions);
        const embedding = body.encoding_format === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
        return { object: 'embedding', index, embedding };
      }),
      model: body.model ?? 'fake-embedding',
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  #content(behaviour: Exclude<Behaviour, { kind: 'status' | 'hang' }>, papers: readonly FakePaper[]): string {
    const correct = papers.map((paper) => ({ id: paper.id, ...this.answer(paper) }));
    switch (behaviour.kind) {
      case 'correct':
        return JSON.stringify({ papers: correct });
      case 'off-vocabulary':
        return JSON.stringify({ papers: correct.map((entry) => ({ ...entry, relevant: true, tags: [...(behaviour.tags ?? ['scaling', 'LoRA'])] })) });
      case 'omit': {
        const omitted = new Set(behaviour.ids ?? papers.slice(0, 1).map((paper) => paper.id));
        return JSON.stringify({ papers: correct.filter((entry) => !omitted.has(entry.id)) });
      }
      case 'duplicate': {
        const [first] = correct;
        return JSON.stringify({ papers: first ? [...correct, { ...first, relevant: !first.relevant }] : correct });
      }
      case 'invalid-json':
        return '{"papers": [{"id": "unterminated';
      case 'content':
        return behaviour.content;
    }
  }
}

/** The papers are the JSON-object lines of the last user message that carry an id and a title. */
function papersIn(body: ChatRequestBody): FakePaper[] {
  const user = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
  const papers: FakePaper[] = [];
  for (const line of String(user?.content ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as Partial<FakePaper>;
      if (typeof value.id === 'string' && typeof value.title === 'string') {
        papers.push({ id: value.id, title: value.title, abstract: value.abstract ?? '', categories: value.categories ?? [] });
      }
    } catch {
      // Not a paper line.
    }
  }
  return papers;
}

/** Why the real endpoint would answer 400, or null. */
function embeddingsRefusal(body: EmbeddingsRequestBody, inputs: readonly unknown[] | null): string | null {
  const invalidInput = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";
  if (typeof body.model !== 'string' || !body.model) return 'you must provide a model parameter';
  if (!inputs || inputs.length === 0 || inputs.some((input) => typeof input !== 'string' || input === '')) return invalidInput;
  if (inputs.length > MAX_EMBEDDING_INPUTS) return `Too many inputs. The max number of inputs is ${MAX_EMBEDDING_INPUTS}.`;
  const longest = Math.max(...inputs.map((input) => Math.ceil(String(input).length / 4)));
  if (longest > MAX_EMBEDDING_INPUT_TOKENS) {
    return `This model's maximum context length is ${MAX_EMBEDDING_INPUT_TOKENS} tokens, however you requested ${longest} tokens in an input.`;
  }
  if (
    body.dimensions !== undefined &&
    (typeof body.dimensions !== 'number' || !Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > 3072)
  ) {
    return 'Invalid value for dimensions.';
  }
  if (body.encoding_format !== undefined && body.encoding_format !== 'float' && body.encoding_format !== 'base64') {
    return "Invalid value for 'encoding_format': expected 'float' or 'base64'.";
  }
  return null;
}

/** Each word of the text adds ±1 to a dimension chosen by its hash; unit length. Texts that share words are close. */
export function fakeEmbedding(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 16777619) >>> 0;
    const at = hash % dimensions;
    vector[at] = (vector[at] as number) + ((hash >>> 31) & 1 ? 1 : -1);
  }
  const length = Math.hypot(...vector);
  // A real model never answers a zero vector: text without words still gets a direction.
  if (length === 0) vector[0] = 1;
  return vector.map((value) => value / (length || 1));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
