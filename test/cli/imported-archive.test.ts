import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { syntheticEntry } from '../fakes/atom.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { captureStream, fixedClock, TEST_ENV } from '../helpers/test-app.ts';

const seedPath = new URL('../fixtures/seed-readme.md', import.meta.url).pathname;
const thursdayFeed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

/** 19:00 in New York on Monday 2025-12-22: the latest announcement is Monday's, the README ends on Thursday 2025-12-18. */
const MONDAY_EVENING = '2025-12-23T00:00:00Z';

describe('an imported README is a real archive', () => {
  let dir: string;
  let arxiv: FakeArxiv;
  let env: Record<string, string>;
  const clock = fixedClock(MONDAY_EVENING);

  async function cli(argv: string[], stdin: string[] = []) {
    return runCliCaptured(argv, { env, stdin, appOptions: { now: clock.now } });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-imported-'));
    arxiv = await FakeArxiv.start();
    arxiv.rss = thursdayFeed;
    clock.set(MONDAY_EVENING);
    env = { ...TEST_ENV, DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`, ARXIV_RSS_URL: arxiv.rssUrl, ARXIV_API_URL: arxiv.apiUrl };
    await cli(['import', seedPath]);
    // The person at the console takes every digest and follows MoE.
    await cli(['repl', '--user', 'alice'], ['/subscribe MoE\n', '/digest here\n']);
  });
  afterEach(async () => {
    await arxiv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN an imported day THEN digest --dry-run previews its 9 papers without asking arXiv', async () => {
    const result = await cli(['digest', '--date', '2025-12-18', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/→ console channel console \(digest\)\n9 papers on Thursday 2025-12-18/);
    expect(result.stdout).toMatch(/→ console user alice \(alert\)\nThursday 2025-12-18: 1 new paper for you/);
    expect(result.stderr).toContain('dry run for 2025-12-18: would send 1 digest and 1 alert (the day comes from an imported README)');
    expect(arxiv.requests).toEqual([]);
  });

  it('GIVEN no channel and no subscription, as on a new setup THEN digest --dry-run says why nothing would go out and how to change that', async () => {
    await cli(['repl', '--user', 'alice'], ['/digest off\n', '/unsubscribe all\n']);
    const result = await cli(['digest', '--date', '2025-12-18', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'dry run for 2025-12-18: would send 0 digests and 0 alerts (the day comes from an imported README; ' +
        'no channel takes its digest and no subscription matches its papers: `/digest here` in `lmsys-papers repl`, ' +
        'SLACK_DIGEST_CHANNELS or DISCORD_DIGEST_CHANNELS names a channel; `lmsys-papers search 2025-12-18` lists the day)\n',
    );
  });

  it('GIVEN an imported day THEN digest --date posts it from the archive, without arXiv, once', async () => {
    const first = await cli(['digest', '--date', '2025-12-18']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('2025-12-18 is in the archive from an import: delivering it as it is there (--refetch fetches it from arXiv first)');
    expect(first.stderr).toMatch(/2025-12-18: ok — 9 candidates, 9 relevant, 0 tokens; 1 digest and 1 alert sent, 0 failed/);
    expect(first.stdout).toMatch(/→ console channel console \(digest\)\n9 papers on Thursday 2025-12-18/);
    expect(arxiv.requests).toEqual([]);

    const again = await cli(['digest', '--date', '2025-12-18']);
    expect(again.stdout).toBe('');
    expect(arxiv.requests).toEqual([]);
  });

  it('GIVEN --refetch THEN digest --date fetches the imported day from arXiv first', async () => {
    const result = await cli(['digest', '--date', '2025-12-18', '--refetch']);
    expect(result.code).toBe(0);
    expect(arxiv.requests.map((request) => request.endpoint)).toEqual(['api', 'api']);
    expect(result.stdout).toContain('9 papers on Thursday 2025-12-18');
  });

  it('GIVEN an imported archive THEN the automatic run delivers only the latest announcement, never the old imported days', async () => {
    const result = await cli(['digest']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('2025-12-22: empty');
    expect(result.stderr).not.toContain('2025-12-18');
    expect(result.stdout).toBe('');
  });

  it('GIVEN one imported day posted by name THEN the next automatic run does not post the imported days after it', async () => {
    await cli(['digest', '--date', '2025-12-16']);
    const result = await cli(['digest']);
    expect(result.code).toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^2025-12-19: empty/), expect.stringMatching(/^2025-12-22: empty/)]);
    expect(result.stdout).toBe('');
  });

  it('GIVEN an archive ending long before the catch-up window THEN ingest fetches the window and says which --from fills the rest', async () => {
    clock.set('2026-01-21T00:00:00Z'); // Tuesday 2026-01-20 in New York
    const result = await cli(['ingest', '--no-classify', '--json']);
    expect(result.code).toBe(0);
    const days = (JSON.parse(result.stdout) as { days: { day: string }[] }).days.map((outcome) => outcome.day);
    expect(days).toEqual(['2026-01-14', '2026-01-15', '2026-01-16', '2026-01-19', '2026-01-20']);
    expect(result.stderr).toContain('[1/5] 2026-01-14: no announcement (holiday or no submissions) · 0 new papers so far');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      'archive ends 2025-12-18; fetched the last 7 days (CATCHUP_MAX_DAYS); `lmsys-papers ingest --from 2025-12-19` fills the rest (18 announcement days, 2025-12-19 to 2026-01-13)',
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ gap: { from: '2025-12-19', to: '2026-01-13', days: 18 } });
  });

  it('GIVEN an archive ending inside the catch-up window THEN ingest fetches every day after it', async () => {
    const result = await cli(['ingest', '--no-classify']);
    expect(result.stderr).toMatch(/\[1\/2\] 2025-12-19: /);
    expect(result.stderr).toMatch(/\[2\/2\] 2025-12-22: /);
    expect(result.stderr).not.toContain('fills the rest');
  });

  it('GIVEN ingest --from stopped by an outage THEN the same command continues where it stopped', async () => {
    // Submitted Thursday and Friday morning in New York: announced Friday 2025-12-19 and Monday 2025-12-22.
    arxiv.corpus = [syntheticEntry(1, '2025-12-18T12:00:00Z'), syntheticEntry(2, '2025-12-19T12:00:00Z')];
    // Two days answer (two requests each), then arXiv is down for every retry of the third.
    arxiv.script('api', { pass: true }, { pass: true }, { pass: true }, { pass: true }, { status: 503 }, { status: 503 }, { status: 503 });
    const first = await cli(['ingest', '--from', '2025-12-17', '--no-classify']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('fetching 4 announcement days, 2025-12-17 to 2025-12-22');
    expect(first.stderr).toContain('stopping is safe: `lmsys-papers ingest --from 2025-12-17 --no-classify` continues where it stopped');
    expect(first.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^ingest FAILED: 2025-12-19 could not be fetched \(arXiv request failed after 3 attempt\(s\): HTTP 503.*\); 1 later days not tried\. Run it again when arXiv is reachable\.$/,
    );

    const before = arxiv.requests.length;
    const second = await cli(['ingest', '--from', '2025-12-17', '--no-classify']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('2 of the days from 2025-12-17 to 2025-12-22 are already ingested: skipped (--refetch fetches them again)');
    expect(second.stderr).toMatch(/\[1\/2\] 2025-12-19: 1 fetched from api, 1 new/);
    expect(second.stderr).toMatch(/\[2\/2\] 2025-12-22: 1 fetched from api, 1 new/);
    // The two days left, no more: Friday from the API, Monday (the latest) tries the RSS feed first.
    expect(arxiv.requests.slice(before).map((request) => request.endpoint)).toEqual(['api', 'api', 'rss', 'api', 'api']);
  });

  it('GIVEN ingest --from stopped by Ctrl-C in an arXiv backoff THEN it says how to continue, not that arXiv failed, and logs no error', async () => {
    arxiv.outage = 503;
    const stop = new AbortController();
    const stderr = captureStream();
    const running = runCli(['ingest', '--from', '2025-12-17'], {
      env: { ...env, LOG_LEVEL: 'info', ARXIV_RETRY_BASE_MS: '60000' },
      stdout: captureStream().stream,
      stderr: stderr.stream,
      stdin: Readable.from([]),
      signal: stop.signal,
      appOptions: { now: clock.now },
    });
    await arxiv.requested(1); // the first 503 is in: the client waits 60 s before trying again
    stop.abort();
    await running;
    const lines = stderr.text().trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'ingest stopped before 2025-12-17 was fetched; 3 later days not tried: `lmsys-papers ingest --from 2025-12-17` continues where it stopped',
    );
    expect(stderr.text()).not.toContain('arXiv is reachable');
    expect(stderr.text()).not.toContain('"level":50');
    expect(stderr.text()).not.toContain('classify');
    expect(arxiv.requests).toHaveLength(1);
  });

  it('GIVEN a day after the latest announcement THEN digest --date refuses it, and the daily run still delivers the latest day', async () => {
    // A typo in the year must not record 2026-12-23 as delivered: catch-up starts after the last day delivered.
    const typo = await cli(['digest', '--date', '2026-12-23']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('--date 2026-12-23 is after the latest announcement day, 2025-12-22: arXiv has not announced it yet\n');

    const daily = await cli(['digest']);
    expect(daily.stderr).toContain('2025-12-22: empty');
    expect(arxiv.requests.every((request) => !request.url.search.includes('2026'))).toBe(true);
  });

  it('GIVEN a day after the latest announcement THEN ingest --date and --to refuse it before asking arXiv', async () => {
    const date = await cli(['ingest', '--date', '2025-12-23']);
    expect(date.code).toBe(2);
    expect(date.stderr).toBe('--date 2025-12-23 is after the latest announcement day, 2025-12-22: arXiv has not announced it yet\n');
    const to = await cli(['ingest', '--from', '2025-12-19', '--to', '2026-01-05']);
    expect(to.code).toBe(2);
    expect(to.stderr).toBe('--to 2026-01-05 is after the latest announcement day, 2025-12-22: arXiv has not announced it yet\n');
    expect(arxiv.requests).toEqual([]);
  });

  it('GIVEN replacements of papers the archive never held THEN ingest counts them as skipped by design', async () => {
    clock.set('2025-12-18T15:00:00Z');
    const result = await cli(['ingest', '--date', '2025-12-18', '--no-classify']);
    expect(result.stderr).toMatch(
      /2025-12-18: 7 fetched from rss, 2 new, 0 updated, 2 unchanged, 1 unreadable skipped, 2 new versions of papers not in the archive skipped/,
    );
    expect(result.stderr).toContain('2 new versions of papers the archive never held were skipped, by design: it keeps the papers it saw announced as new');
  });
});
