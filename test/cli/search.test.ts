import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { storeClassified } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { captureStream, fixedClock, openTestApp, TEST_ENV } from '../helpers/test-app.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');
// Terminal escapes an arXiv title or an LLM answer could carry: retitle the window, clear the screen, colour, bell, backspace, a bidi override.
const HOSTILE_TITLE = 'KV cache \u001b]0;pwned\u0007 paging \u001b[2J\u001b[31mred\u001b[0m \u202eevil\u202c back\u0008space\u009b1m';
const HOSTILE_TLDR = 'Pages the cache.\u001b[1A\u001b[2K Overwrote the line above.';
const CONTROLS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

describe('lmsys-papers search', () => {
  let dir: string;
  const env = () => ({ ...TEST_ENV, DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-search-'));
    const app = await openTestApp(env(), { now: clock.now });
    await storeClassified(app, paperRecord(1, { title: HOSTILE_TITLE, authors: ['Alice'] }), '2025-12-18', { tags: ['serving'], tldr: HOSTILE_TLDR });
    await app.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function search(...argv: string[]) {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['search', ...argv], {
      env: env(),
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin: Readable.from([]),
      appOptions: { now: clock.now },
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('GIVEN a title and TL;DR with terminal escapes THEN they reach the terminal without any control character, as the repl shows them', async () => {
    const result = await search('kv', 'paging');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => CONTROLS.test(line))).toEqual([]);
    expect(result.stdout).toContain('2025-12-18  KV cache ]0;pwned paging [2J[31mred[0m evil backspace1m');
    expect(result.stdout).toContain('Pages the cache.[1A[2K Overwrote the line above.');
  });

  it('GIVEN --json THEN the text stays as stored, escaped by JSON', async () => {
    const result = await search('kv', 'paging', '--json');
    const [paper] = JSON.parse(result.stdout) as { title: string }[];
    expect(paper?.title).toBe(HOSTILE_TITLE);
    // JSON itself escapes only C0 controls: DEL, C1 (\u009b is CSI) and bidi overrides must be escaped too.
    expect(result.stdout.split('\n').filter((line) => CONTROLS.test(line))).toEqual([]);
  });
});
