import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { FakeOpenAi } from '../fakes/openai-server.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { fixedClock, openTestApp, TEST_ENV } from '../helpers/test-app.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');

describe('lmsys-papers embed', () => {
  let fake: FakeOpenAi;
  let dir: string;
  const database = () => `sqlite://${join(dir, 'papers.db')}`;

  async function cli(env: Record<string, string>, ...argv: string[]) {
    return runCliCaptured(argv, { env: { ...TEST_ENV, DATABASE_URL: database(), ...env }, appOptions: { now: clock.now, sleep: async () => {} } });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-embed-'));
    fake = await FakeOpenAi.start();
    const app = await openTestApp({ DATABASE_URL: database() }, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    await app.close();
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN no embeddings model THEN it says what to set, and that like: works without', async () => {
    const result = await cli({}, 'embed');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^embed needs OPENAI_EMBEDDING_MODEL .*without it `like:` compares words/);
  });

  it('GIVEN the seed archive THEN it embeds every relevant paper with a progress line per request, and a second run has nothing to do', async () => {
    const env = { OPENAI_BASE_URL: fake.baseUrl, OPENAI_EMBEDDING_MODEL: 'nomic-embed-text' };
    const result = await cli(env, 'embed');
    expect(result.code).toBe(0);
    const progress = result.stderr.trim().split('\n');
    expect(progress).toHaveLength(fake.embeddingRequests.length);
    expect(progress[0]).toMatch(/^embedded 128 of 8\d\d papers \(\d[\d,]* tokens\)$/);
    expect(progress.at(-1)).toMatch(/^embedded (8\d\d) of \1 papers/);
    expect(result.stdout).toMatch(/^embed: (8\d\d) of \1 papers embedded with nomic-embed-text · \d+ requests, \d+ tokens \(\d+ today\)\n$/);

    const again = await cli(env, 'embed', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'empty', embedded: 0, requests: 0 });
  });

  it('GIVEN --limit THEN only that many of the newest papers are embedded', async () => {
    const result = await cli({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_EMBEDDING_MODEL: 'nomic-embed-text' }, 'embed', '--limit', '5', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ok', embedded: 5, requests: 1 });
    const app = await openTestApp({ DATABASE_URL: database() }, { now: clock.now });
    const days = await app.db.all<{ day: string }>('SELECT DISTINCT p.announced_on AS day FROM paper_embeddings e JOIN papers p ON p.id = e.paper_id');
    await app.close();
    expect(days).toEqual([{ day: '2025-12-18' }]);
  });
});
