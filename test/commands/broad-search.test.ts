import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticArchive } from '../../bench/synthetic-archive.ts';
import { papersCommand } from '../../commands/papers.ts';
import { runCommand } from '../../commands/run-command.ts';
import type { App } from '../../src/app.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { decodeSearchCursor } from '../../src/domain/search-cursor.ts';
import { Database } from '../../src/store/db.ts';
import { DEFAULT_TUNING } from '../../src/store/search.ts';
import { commandContext } from '../helpers/command-context.ts';
import { captureStream, fixedClock, openTestApp, TEST_ENV } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');
/** "we" is in every synthetic abstract: 1,000 matches more than the search ranks whole (a tenth of the limit at least must be left out). */
const PAPERS = DEFAULT_TUNING.broad + 1_000;
const MORE_THAN = `More than ${DEFAULT_TUNING.broad.toLocaleString('en-US')} papers match`;
const NOTE = new RegExp(`${MORE_THAN}, too many to rank them all: these are the best since (\\d{4}-\\d\\d-\\d\\d)\\. .*\`since (\\d{4})-01-01\``);

describe('a search that matches more papers than it ranks whole, as each front end says it', () => {
  let dir: string;
  let url: string;
  let app: App;
  let web: TestWeb;
  const papers = (text: string, cursor: string | null = null) => runCommand(papersCommand, commandContext(app), { text, cursor });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-broad-'));
    url = `sqlite://${join(dir, 'papers.db')}`;
    const db = await Database.open(url);
    await generateSyntheticArchive(db, { papers: PAPERS, lastDay: '2025-12-19' });
    await db.close();
    app = await openTestApp({ DATABASE_URL: url }, { now: clock.now });
    web = await startTestWeb(app);
  }, 60_000);
  afterAll(async () => {
    await web?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN /papers with such a word THEN the best since a recent day, the reply says why and how to reach older papers, and page 2 keeps that day', async () => {
    const first = await papers('we');
    const [, from = '', year = ''] = first.text.match(NOTE) ?? [];
    expect(first.text).toMatch(new RegExp(`^Papers since ${from} matching “we”: 1–8 \\(more below\\), best match first\\.\\n`));
    expect(Number(year)).toBe(Number(from.slice(0, 4)) - 1);
    expect(first.papers?.every((paper) => (paper.day ?? '') >= from)).toBe(true);
    // About the newest matches up to the limit: the oldest days are left out.
    const oldest = await app.db.get<{ day: string }>('SELECT MIN(announced_on) AS day FROM papers');
    expect(from > (oldest?.day ?? '')).toBe(true);
    expect(first.actions).toContainEqual({ kind: 'share', command: 'papers', input: 'we' });

    const second = await papers('', first.cursor ?? null);
    expect(decodeSearchCursor(first.cursor as string, app.vocabulary).query.range).toEqual({ from, to: null });
    expect(second.text).toBe(`Papers since ${from} matching “we”: 9–16 (more below), best match first.`);
    expect(second.papers?.every((paper) => (paper.day ?? '') >= from)).toBe(true);
  });

  it('GIVEN the same word with a date THEN everything in that period is ranked and nothing is said about it', async () => {
    const reply = await papers('we since 2020-01-01');
    expect(reply.text).toBe('Papers since 2020-01-01 matching “we”: 1–8 (more below), best match first.');
  });

  it('GIVEN the web page and the JSON API THEN both say it too', async () => {
    const page = await (await web.get('/search?q=we')).text();
    expect(page).toMatch(
      new RegExp(`${MORE_THAN}, too many to rank them all: these are the best since \\d{4}-\\d\\d-\\d\\d\\. .*<code>since \\d{4}-01-01</code>`),
    );
    expect(page).toMatch(/<h1>Papers since \d{4}-\d\d-\d\d matching “we”<\/h1>/);
    const api = (await (await web.get('/api/papers?q=we')).json()) as { narrowed: string | null; description: string };
    expect(api.narrowed?.startsWith(MORE_THAN)).toBe(true);
    expect(api.description).toMatch(/^papers since \d{4}-\d\d-\d\d matching “we”$/);
    const dated = (await (await web.get('/api/papers?q=we%20since%202020-01-01')).json()) as { narrowed: string | null };
    expect(dated.narrowed).toBeNull();
  });

  it('GIVEN lmsys-papers search THEN the note goes to stderr, the papers to stdout', async () => {
    const stdout = captureStream();
    const stderr = captureStream();
    const env = { ...TEST_ENV, DATABASE_URL: url };
    const code = await runCli(['search', 'we', '--limit', '2'], {
      env,
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin: Readable.from([]),
      appOptions: { now: clock.now },
    });
    expect(code).toBe(0);
    expect(stderr.text()).toContain(MORE_THAN);
    expect(stdout.text()).not.toMatch(/More than/);
    expect(stdout.text()).toMatch(/arxiv\.org\/abs\//);
  });
});
