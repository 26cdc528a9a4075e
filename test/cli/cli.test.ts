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
const dayFeed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

describe('lmsys-papers CLI', () => {
  let dir: string;
  let fake: FakeArxiv;
  const clock = fixedClock('2025-12-18T15:00:00Z');

  async function cli(...argv: string[]) {
    const env = { ...TEST_ENV, DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`, ARXIV_RSS_URL: fake.rssUrl, ARXIV_API_URL: fake.apiUrl };
    return runCliCaptured(argv, { env, appOptions: { now: clock.now } });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-cli-'));
    fake = await FakeArxiv.start();
    fake.rss = dayFeed;
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN the seed README THEN import reports 847 papers and 7 merged duplicates', async () => {
    const result = await cli('import', seedPath);
    expect(result).toMatchObject({ code: 0, stdout: 'imported 847 papers (7 duplicates merged)\n' });
    expect(result.stderr).toContain('corrected tags: inference → serving');
  });

  it('GIVEN an imported archive THEN export writes the README format for the requested days, newest first', async () => {
    await cli('import', seedPath);
    const result = await cli('export', 'markdown', '--from', '2025-12-17', '--to', '2025-12-18');
    expect(result.code).toBe(0);
    const headings = result.stdout.match(/^### .*$/gm);
    expect(headings).toEqual(['### 2025-12-18', '### 2025-12-17']);
    expect(result.stdout).toMatch(
      /^\* `MoE` `offloading` `serving` \[Efficient CPU-GPU Collaborative Inference .*\]\(https:\/\/arxiv\.org\/abs\/2512\.16473v1\)$/m,
    );
    expect(result.stdout).toContain('2.1× higher throughput');
  });

  it('GIVEN --out THEN export writes the file and says so on stderr', async () => {
    await cli('import', seedPath);
    const out = join(dir, 'README.md');
    const result = await cli('export', 'markdown', '--out', out);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`exported 847 papers to ${out}`);
    expect(readFileSync(out, 'utf8')).toContain('total_papers-847-blue');
  });

  it('GIVEN a search THEN --json gives the matching relevant papers', async () => {
    await cli('import', seedPath);
    const result = await cli('search', 'expert', 'offloading', '--json', '--limit', '3');
    const papers = JSON.parse(result.stdout) as { id: string; classification: { relevant: boolean } }[];
    expect(papers).toHaveLength(3);
    expect(papers.every((paper) => paper.classification.relevant)).toBe(true);
  });

  it('GIVEN a date range THEN ingest reports progress per day on stderr and JSON outcomes on stdout', async () => {
    fake.corpus = [syntheticEntry(1, '2025-12-15T12:00:00Z'), syntheticEntry(2, '2025-12-16T12:00:00Z')];
    const result = await cli('ingest', '--from', '2025-12-16', '--to', '2025-12-18', '--json');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\[1\/3\] 2025-12-16: 1 fetched from api, 1 new.* · 1 new papers so far/);
    expect(result.stderr).toMatch(/\[3\/3\] 2025-12-18: 7 fetched from rss, 4 new.* · 6 new papers so far/);
    const output = JSON.parse(result.stdout) as { days: { day: string }[]; classification: { classifier: string; candidates: number } };
    expect(output.days.map((outcome) => outcome.day)).toEqual(['2025-12-16', '2025-12-17', '2025-12-18']);
    expect(output.classification).toMatchObject({ classifier: 'keywords', candidates: 6 });
  });

  it('GIVEN an arXiv outage THEN ingest exits 1 and says which day failed', async () => {
    fake.script('rss', ...Array.from({ length: 3 }, () => ({ status: 503 })));
    const result = await cli('ingest', '--date', '2025-12-18');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/2025-12-18: FAILED \(arXiv request failed after 3 attempt\(s\): HTTP 503/);
  });

  it('GIVEN arXiv unreachable THEN ingest ends with a line saying the run failed, after the classification line', async () => {
    await fake.close();
    const result = await cli('ingest');
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.at(-2)).toBe('classify: nothing to classify');
    expect(lines.at(-1)).toMatch(/^ingest FAILED: 2025-12-18 could not be fetched \(.+\)\. Run it again when arXiv is reachable\.$/);
    fake = await FakeArxiv.start();
  });

  it('GIVEN stderr is a terminal THEN log entries are short lines for a person, without stack traces', async () => {
    await fake.close();
    const stderr = captureStream();
    Object.assign(stderr.stream, { isTTY: true }); // as process.stderr is when a person runs the command
    const env = { ...TEST_ENV, LOG_LEVEL: 'error', DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`, ARXIV_RSS_URL: fake.rssUrl };
    const code = await runCli(['ingest', '--no-classify'], {
      env,
      stdout: captureStream().stream,
      stderr: stderr.stream,
      stdin: Readable.from([]),
      appOptions: { now: clock.now },
    });
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/^\d\d:\d\d:\d\d ERROR ingest: ingest failed — day=2025-12-18: arXiv request failed/m);
    expect(stderr.text()).not.toContain('{"level"');
    expect(stderr.text()).not.toMatch(/^\s+at /m);
    fake = await FakeArxiv.start();
  });

  it('GIVEN an empty archive THEN digest --dry-run says which file it is and how to fill it', async () => {
    const result = await cli('digest', '--dry-run');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`2025-12-18 is not in the archive yet: \`lmsys-papers ingest --date 2025-12-18\` fetches it`);
    expect(result.stderr).toContain(`The archive ${join(dir, 'papers.db')} is empty`);
  });

  it('GIVEN an archive that is empty THEN search says which file it is and how to fill it', async () => {
    const result = await cli('search', 'MoE');
    expect(result).toMatchObject({ code: 0, stdout: 'no `MoE` papers\n'.replaceAll('`', '') });
    expect(result.stderr).toBe(
      `The archive ${join(dir, 'papers.db')} is empty: \`lmsys-papers import <README.md>\` imports the original README, \`lmsys-papers ingest\` fetches the latest days from arXiv (or set DATABASE_URL to the archive you meant).\n`,
    );
  });

  it.each([
    [['ingest', '--date', '2025-13-01'], /--date expects a date as YYYY-MM-DD, got "2025-13-01"/],
    [['ingest', '--to', '2025-12-01'], /--to needs --from/],
    [['ingest', '--from', '2025-12-19'], /--from 2025-12-19 is after the latest announcement day, 2025-12-18/],
    [['ingest', '--bogus'], /^unknown option --bogus\nusage: lmsys-papers ingest .*\n`lmsys-papers ingest --help` explains each option\.\n$/],
    [['import'], /expected one markdown file/],
    [['import', '/no/such/file.md'], /cannot read \/no\/such\/file\.md: no such file/],
    [['export', 'pdf'], /the only export format is markdown/],
    [['search'], /what should I search for\?/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('GIVEN %j THEN it exits 2 with a message a person can act on', async (argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('GIVEN a bad setting THEN the command stops naming the variable', async () => {
    const stderr = captureStream();
    const code = await runCli(['status'], {
      env: { DIGEST_TIMEZONE: 'Mars/Base' },
      stdout: captureStream().stream,
      stderr: stderr.stream,
      stdin: Readable.from([]),
    });
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/DIGEST_TIMEZONE="Mars\/Base": expected an IANA time zone/);
  });

  it('GIVEN runs happened THEN status lists them with their counts (papers already in the seed are not new)', async () => {
    await cli('import', seedPath);
    await cli('ingest', '--date', '2025-12-18', '--no-classify');
    const result = await cli('status');
    expect(result.stdout).toMatch(/archive: 849 papers, 847 relevant, 2 pending/);
    expect(result.stdout).toMatch(/ingest\s+2025-12-18 ok\s+rss: 7 fetched, 2 new/);
  });
});
