import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { papersCommand } from '../../commands/papers.ts';
import { runCommand } from '../../commands/run-command.ts';
import type { App } from '../../src/app.ts';
import { embeddingText } from '../../src/llm/embedding-text.ts';
import { embedPending } from '../../src/pipeline/embed.ts';
import { classifyTokensOn } from '../../src/store/classification-queue.ts';
import { embeddingOf } from '../../src/store/embeddings.ts';
import { recordAnnouncement, saveClassification } from '../../src/store/papers.ts';
import { recentRuns } from '../../src/store/runs.ts';
import { FakeOpenAi } from '../fakes/openai-server.ts';
import { storeClassified } from '../helpers/classified.ts';
import { commandContext } from '../helpers/command-context.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');
const SPACE = 'text-embedding-3-small';

const TITLES = [
  'Expert offloading for mixture-of-experts inference on memory-limited GPUs',
  'Expert caching and prefetching for MoE inference',
  'Speculative decoding with small draft models',
  'Tree-based speculative decoding for LLM serving',
  'Low-bit weight quantization for LLM inference',
];

describe('embeddings for more like this', () => {
  let fake: FakeOpenAi;
  let app: App;
  const open = (env: Record<string, string> = {}) =>
    openTestApp(
      { OPENAI_BASE_URL: fake.baseUrl, OPENAI_EMBEDDING_MODEL: SPACE, OPENAI_MAX_RETRIES: '0', DIGEST_TIMEZONE: 'Asia/Shanghai', ...env },
      { now: clock.now },
    );
  const inputs = () => fake.embeddingRequests.flatMap((request) => request.inputs);

  /** An in-memory archive: five relevant papers and one off-topic. */
  async function openWithPapers(env: Record<string, string> = {}): Promise<App> {
    const opened = await open(env);
    for (const [index, title] of TITLES.entries()) await storeClassified(opened, paperRecord(index + 1, { title, abstract: '' }), `2025-12-1${index}`);
    await storeClassified(opened, paperRecord(9, { title: 'A paper judged off-topic', abstract: '' }), '2025-12-18', { relevant: false, tags: [], tldr: null });
    return opened;
  }

  beforeEach(async () => {
    fake = await FakeOpenAi.start();
    app = await openWithPapers();
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  it('GIVEN relevant papers without vectors THEN one run embeds them, newest first, in batches, and records its tokens in the daily cap', async () => {
    const embed = app.embed as NonNullable<App['embed']>;
    const report = await embedPending({ ...embed, embedder: { ...embed.embedder, batchSize: 2, embed: embed.embedder.embed } });
    expect(report).toMatchObject({ status: 'ok', space: SPACE, candidates: 5, embedded: 5, deferred: 0, requests: 3, error: null });
    expect(fake.embeddingRequests.map((request) => request.inputs.length)).toEqual([2, 2, 1]);
    expect(inputs()[0]).toBe(embeddingText({ title: TITLES[4] as string, abstract: '', tldr: `TL;DR of ${TITLES[4]}.` }));
    expect(inputs()).not.toContain(expect.stringContaining('off-topic'));
    expect(await embeddingOf(app.db, '2512.10001', SPACE)).toHaveLength(64);
    const [run] = await recentRuns(app.db, 1, 'embed');
    expect(run).toMatchObject({ kind: 'embed', day: '2025-12-19', status: 'ok', new: 5, stats: { totalTokens: report.totalTokens, space: SPACE } });
    expect(report.totalTokens).toBeGreaterThan(0);
    expect(await classifyTokensOn(app.db, '2025-12-19')).toBe(report.totalTokens);
  });

  it('GIVEN every paper embedded THEN the next run asks nothing; a changed abstract drops the paper’s vector and it is embedded again', async () => {
    await embedPending(app.embed as NonNullable<App['embed']>);
    const requests = fake.embeddingRequests.length;
    expect((await embedPending(app.embed as NonNullable<App['embed']>)).status).toBe('empty');
    expect(fake.embeddingRequests).toHaveLength(requests);

    await app.db.transaction((tx) =>
      recordAnnouncement(
        tx,
        '2025-12-19',
        { paper: paperRecord(1, { version: 2, title: TITLES[0] as string, abstract: 'Now with an abstract.' }), type: 'replace' },
        'test',
        '2025-12-19T01:00:00Z',
      ),
    );
    expect(await embeddingOf(app.db, '2512.10001', SPACE)).toBeNull();
    const again = await embedPending(app.embed as NonNullable<App['embed']>);
    expect(again).toMatchObject({ embedded: 1 });
    expect(fake.embeddingRequests.at(-1)?.inputs).toEqual([expect.stringContaining('Now with an abstract.')]);

    // A new TL;DR (a new verdict) changes the embedded text too; the same verdict saved again does not.
    await storeClassified(app, paperRecord(7, { title: 'Seventh', abstract: '' }), '2025-12-18');
    await embedPending(app.embed as NonNullable<App['embed']>);
    const verdict = { status: 'done' as const, relevant: true, tags: ['serving'], model: 'test', promptHash: null, version: 1, error: null, attempts: 2 };
    await app.db.transaction((tx) => saveClassification(tx, '2512.10007', { ...verdict, tldr: 'TL;DR of Seventh.' }, '2025-12-19T01:00:00Z'));
    expect(await embeddingOf(app.db, '2512.10007', SPACE)).not.toBeNull();
    await app.db.transaction((tx) => saveClassification(tx, '2512.10007', { ...verdict, tldr: 'A better TL;DR.' }, '2025-12-19T01:00:00Z'));
    expect(await embeddingOf(app.db, '2512.10007', SPACE)).toBeNull();
  });

  it('GIVEN the daily cap nearly spent by classification THEN embedding stops before passing it and leaves the rest for later', async () => {
    await app.close();
    app = await openWithPapers({ LLM_DAILY_TOKEN_CAP: '1000' });
    await app.db.run(
      "INSERT INTO runs (kind, day, source, status, started_at, stats) VALUES ('classify', '2025-12-19', 'fake', 'ok', '2025-12-19T00:00:00Z', json_object('totalTokens', 995))",
    );
    const report = await embedPending(app.embed as NonNullable<App['embed']>);
    expect(report).toMatchObject({ embedded: 0, deferred: 5, budgetStopped: true, requests: 0 });
    expect(fake.embeddingRequests).toHaveLength(0);
  });

  it('GIVEN a stop while the embeddings request hangs THEN the run ends at once, recorded as stopped, nothing stored', async () => {
    await app.close();
    const stop = new AbortController();
    app = await openTestApp(
      { OPENAI_BASE_URL: fake.baseUrl, OPENAI_EMBEDDING_MODEL: SPACE, OPENAI_TIMEOUT_MS: '60000', DIGEST_TIMEZONE: 'Asia/Shanghai' },
      { now: clock.now, signal: stop.signal },
    );
    for (const [index, title] of TITLES.entries()) await storeClassified(app, paperRecord(index + 1, { title, abstract: '' }), `2025-12-1${index}`);
    fake.script({ kind: 'hang' });

    const running = embedPending(app.embed as NonNullable<App['embed']>);
    await fake.waitForEmbeddingRequests(1);
    const stoppedAt = performance.now();
    stop.abort();
    const report = await running;

    expect(performance.now() - stoppedAt).toBeLessThan(1000);
    expect(report).toMatchObject({ status: 'failed', embedded: 0, error: 'stopped: lmsys-papers is shutting down' });
    expect(fake.embeddingRequests).toHaveLength(1);
    expect(await embeddingOf(app.db, '2512.10001', SPACE)).toBeNull();
  });

  it('GIVEN the server refuses THEN the run fails, stores nothing, and like: still answers by words', async () => {
    fake.apiKey = 'sk-only';
    const report = await embedPending(app.embed as NonNullable<App['embed']>);
    expect(report).toMatchObject({ status: 'failed', embedded: 0, deferred: 5 });
    expect(report.error).toMatch(/^embeddings unavailable: HTTP 401/);
    const reply = await runCommand(papersCommand, commandContext(app), { text: 'like:2512.10001' });
    expect(reply.text).toMatch(/most similar first \(by the distinctive words/);
    expect(reply.papers?.[0]?.id).toBe('2512.10002');
  });

  it('GIVEN vectors for the archive THEN like: ranks by embeddings, and a paper without one is embedded when asked about', async () => {
    await embedPending(app.embed as NonNullable<App['embed']>);
    const before = fake.embeddingRequests.length;
    const reply = await runCommand(papersCommand, commandContext(app), { text: 'like:2512.10003' });
    expect(reply.text).toMatch(/most similar first \(by embeddings of their titles, TL;DRs and abstracts\)\.$/);
    expect(reply.papers?.[0]?.id).toBe('2512.10004');
    expect(reply.papers?.map((paper) => paper.id)).not.toContain('2512.10003');
    expect(fake.embeddingRequests).toHaveLength(before);

    // The off-topic paper has no vector: it is embedded now, once, and recorded like any run.
    const offTopic = await runCommand(papersCommand, commandContext(app), { text: 'like:2512.10009' });
    expect(offTopic.text).toMatch(/by embeddings/);
    expect(fake.embeddingRequests.slice(before).map((request) => request.inputs)).toEqual([[expect.stringContaining('A paper judged off-topic')]]);
    expect((await recentRuns(app.db, 1, 'embed'))[0]).toMatchObject({ source: 'like', new: 1 });
    await runCommand(papersCommand, commandContext(app), { text: 'like:2512.10009' });
    expect(fake.embeddingRequests).toHaveLength(before + 1);
  });

  it('GIVEN fewer than 90% of the relevant papers embedded THEN like: keeps to words, which miss none', async () => {
    await embedPending(app.embed as NonNullable<App['embed']>, { limit: 4 });
    const reply = await runCommand(papersCommand, commandContext(app), { text: 'like:2512.10003' });
    expect(reply.text).toMatch(/by the distinctive words/);
  });
});

describe('OPENAI_EMBEDDING_MODEL without a server', () => {
  it('GIVEN no key and no base URL THEN the app refuses to start, naming the settings', async () => {
    await expect(openTestApp({ OPENAI_EMBEDDING_MODEL: SPACE })).rejects.toThrow(
      /OPENAI_EMBEDDING_MODEL needs a server: set OPENAI_API_KEY .* or OPENAI_BASE_URL/,
    );
  });
});
