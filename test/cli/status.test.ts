import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { fixedClock, TEST_ENV } from '../helpers/test-app.ts';

const seedPath = new URL('../fixtures/seed-readme.md', import.meta.url).pathname;
const dayFeed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

describe('lmsys-papers status: what matters first', () => {
  let dir: string;
  let arxiv: FakeArxiv;
  const clock = fixedClock('2025-12-18T15:00:00Z');

  async function cli(...argv: string[]) {
    const env = { ...TEST_ENV, DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`, ARXIV_RSS_URL: arxiv.rssUrl, ARXIV_API_URL: arxiv.apiUrl };
    return runCliCaptured(argv, { env, appOptions: { now: clock.now } });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-status-'));
    arxiv = await FakeArxiv.start();
    arxiv.rss = dayFeed;
  });
  afterEach(async () => {
    await arxiv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a failure, runs that did nothing and an import THEN the failure comes first, idle runs are one line, no row has an empty label', async () => {
    await cli('import', seedPath);
    arxiv.script('rss', { status: 503 }, { status: 503 }, { status: 503 });
    await cli('ingest', '--date', '2025-12-18', '--no-classify');
    for (const day of ['2025-12-13', '2025-12-14']) await cli('ingest', '--date', day); // a weekend, then nothing to classify
    const { stdout } = await cli('status');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('archive: 847 papers, 847 relevant, 0 pending, 0 failed classification, announcement days 2025-01-03 to 2025-12-18');
    expect(lines[1]).toBe(`  file: ${join(dir, 'papers.db')}`);
    expect(lines[2]).toBe('failed, not succeeded since (latest first):');
    expect(lines[3]).toMatch(/^ {2}2025-12-18T15:00:00\.000Z {2}ingest {3}2025-12-18 failed arXiv request failed after 3 attempt\(s\): HTTP 503/);
    expect(lines[4]).toBe('last runs that did something (latest first):');
    expect(lines[5]).toBe(lines[3]);
    expect(lines[6]).toMatch(/^ {2}\S+ {2}import {14}ok {5}readme: 854 README lines, 847 papers imported, 7 duplicates merged$/);
    expect(lines[7]).toBe('  (and 4 runs in that time that found nothing to do: weekends, holidays, nothing to classify)');
    expect(stdout).not.toMatch(/ : /);
  });

  it('GIVEN the same day failing run after run THEN the failures list it once, with how many times', async () => {
    // arXiv down: every run retries the day (the scheduler does every 30 minutes) and fails again.
    arxiv.outage = 503;
    for (let run = 0; run < 3; run++) await cli('ingest', '--date', '2025-12-18', '--no-classify');
    const lines = (await cli('status')).stdout.split('\n');
    const failures = lines.slice(
      lines.indexOf('failed, not succeeded since (latest first):') + 1,
      lines.indexOf('last runs that did something (latest first):'),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^ {2}\S+ {2}ingest {3}2025-12-18 failed arXiv request failed after 3 attempt\(s\): HTTP 503 .* — failed 3 times$/);
  });

  it('GIVEN one run that did nothing THEN status counts it as "1 run", not "1 runs"', async () => {
    await cli('import', seedPath);
    await cli('classify'); // nothing to classify: an import's papers come classified
    expect((await cli('status')).stdout).toContain('  (and 1 run in that time that found nothing to do: weekends, holidays, nothing to classify)');
  });

  it('GIVEN the failed day succeeds later THEN it is no longer listed as a failure', async () => {
    arxiv.script('rss', { status: 503 }, { status: 503 }, { status: 503 });
    await cli('ingest', '--date', '2025-12-18', '--no-classify');
    await cli('ingest', '--date', '2025-12-18', '--no-classify');
    const { stdout } = await cli('status');
    expect(stdout).not.toContain('failed, not succeeded since');
    expect(stdout).toMatch(/ingest {3}2025-12-18 ok {5}rss: 7 fetched, 4 new, 0 updated, 3 skipped \(2 new versions of papers not held\)/);
  });

  it('GIVEN an empty archive THEN status says which file it is and how to fill it', async () => {
    const { stdout } = await cli('status');
    expect(stdout).toContain(`The archive ${join(dir, 'papers.db')} is empty: \`lmsys-papers import <README.md>\` imports the original README`);
  });
});
