import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { FakeOpenAi } from '../fakes/openai-server.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { fixedClock, TEST_ENV } from '../helpers/test-app.ts';

const dayFeed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

describe('lmsys-papers classify and ingest with an LLM', () => {
  let arxiv: FakeArxiv;
  let llm: FakeOpenAi;
  let dir: string;

  async function cli(...argv: string[]) {
    const env = {
      ...TEST_ENV,
      DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`,
      ARXIV_RSS_URL: arxiv.rssUrl,
      ARXIV_API_URL: arxiv.apiUrl,
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MODEL: 'fake-model',
      OPENAI_MAX_RETRIES: '0',
    };
    return runCliCaptured(argv, { env, appOptions: { now: fixedClock('2025-12-18T15:00:00Z').now, sleep: async () => {} } });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-classify-'));
    arxiv = await FakeArxiv.start();
    arxiv.rss = dayFeed;
    llm = await FakeOpenAi.start();
  });
  afterEach(async () => {
    await arxiv.close();
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a fresh day THEN ingest classifies what it ingested and reports it on stderr', async () => {
    const result = await cli('ingest', '--date', '2025-12-18');

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/classify: 4 of 4 classified with fake-model, 3 relevant, 1 pre-filtered, 0 from cache, 0 failed · 1 requests, \d+ tokens/);
    expect(llm.askedIds()).toHaveLength(3);
  });

  it('GIVEN --no-classify THEN ingest asks the LLM nothing', async () => {
    const result = await cli('ingest', '--date', '2025-12-18', '--no-classify', '--json');

    expect(result.code).toBe(0);
    expect(llm.requests).toHaveLength(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ classification: null });
  });

  it('GIVEN an empty archive THEN classify --json reports an empty run', async () => {
    const result = await cli('classify', '--json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'empty', candidates: 0, classifier: 'fake-model' });
  });

  it('GIVEN an LLM that answers 500 THEN ingest exits 1 and names the classification failure', async () => {
    llm.script({ kind: 'status', status: 500 });

    const result = await cli('ingest', '--date', '2025-12-18');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/classify FAILED: LLM unavailable: HTTP 500/);
  });

  it('GIVEN every LLM answer garbage THEN ingest and classify exit 1 and status shows the classify runs failed', async () => {
    const garbage = { kind: 'content', content: 'I cannot help with that.' } as const;
    llm.script(garbage, garbage);

    const ingest = await cli('ingest', '--date', '2025-12-18');

    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toMatch(/1 of 4 classified with fake-model, 0 relevant, 1 pre-filtered, 0 from cache, 3 failed/);
    expect(ingest.stderr).toMatch(/classify FAILED: 3 of 4 papers got no verdict \(kept as failed, asked again next run\)/);

    llm.script(garbage, garbage);
    const classify = await cli('classify');

    expect(classify.code).toBe(1);
    expect(classify.stdout).toMatch(/classify FAILED: 3 of 3 papers got no verdict/);
    const status = JSON.parse((await cli('status', '--json')).stdout) as { runs: { kind: string; status: string }[] };
    expect(status.runs.filter((run) => run.kind === 'classify').map((run) => run.status)).toEqual(['failed', 'failed']);
  });

  it('GIVEN --limit THEN classify takes at most that many papers', async () => {
    await cli('ingest', '--date', '2025-12-18', '--no-classify');
    const result = await cli('classify', '--limit', '2');
    expect(result.stdout).toMatch(/^classify: 2 of 2 classified/);
  });

  it('GIVEN a classification run THEN status shows its requests and tokens', async () => {
    await cli('ingest', '--date', '2025-12-18');
    const result = await cli('status');
    expect(result.stdout).toMatch(/classify\s+2025-12-18 ok\s+fake-model: 4 candidates, 4 classified, 0 left pending, 1 requests, \d+ tokens/);
  });
});
