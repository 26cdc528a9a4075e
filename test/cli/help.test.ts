import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_COMMANDS, runCli } from '../../src/cli/run-cli.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { captureStream, TEST_ENV } from '../helpers/test-app.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const NAMES = CLI_COMMANDS.map((command) => command.name);

describe('lmsys-papers help and arguments', () => {
  let dir: string;
  let database: string;

  /** A bad setting and an archive path that must stay untouched: help and usage errors need neither. */
  async function cli(...argv: string[]) {
    return runCliCaptured(argv, { env: { ...TEST_ENV, DATABASE_URL: `sqlite://${database}`, DIGEST_TIMEZONE: 'Mars/Base' } });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-help-'));
    database = join(dir, 'data', 'papers.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(NAMES.flatMap((name) => [[name, '--help'] as const, [name, '-h'] as const]))(
    'GIVEN %s %s THEN its usage and options go to stdout, exit 0, without reading settings or opening the archive',
    async (name, flag) => {
      const result = await cli(name, flag);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^usage: lmsys-papers ${name}`));
      const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
      for (const option of Object.keys(command?.options ?? {})) expect(result.stdout).toContain(`--${option}`);
      expect(existsSync(database)).toBe(false);
    },
  );

  it('GIVEN lmsys-papers --help THEN it lists every command with its summary and says how to get more', async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    for (const command of CLI_COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command.name} +${escapeRegExp(command.summary)}$`, 'm'));
    expect(result.stdout).toContain('`lmsys-papers <command> --help` explains a command and its options.');
  });

  it('GIVEN help ingest THEN it prints the help of ingest', async () => {
    const result = await cli('help', 'ingest');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: lmsys-papers ingest/);
  });

  it('GIVEN no command at all THEN the command list goes to stderr with exit 2', async () => {
    const result = await cli();
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^usage: lmsys-papers <command>/);
  });

  it('GIVEN --version THEN it prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await cli('--version');
    expect(result).toMatchObject({ code: 0, stdout: `lmsys-papers ${version} (Node.js ${process.versions.node})\n` });
  });

  it.each([
    [['serve', '--bogus'], /^unknown option --bogus\nusage: lmsys-papers serve\n`lmsys-papers serve --help` explains each option\.$/m],
    [['serve', 'now'], /^unexpected argument "now"\nusage: lmsys-papers serve/],
    [['ingest', '2025-12-18'], /^unexpected argument "2025-12-18"\nusage: lmsys-papers ingest/],
    [['status', '--limit'], /^Option '--limit <value>' argument missing\nusage: lmsys-papers status/],
    [['classify', '--json=yes'], /^Option '--json' does not take an argument/],
    [['digest', '-x'], /^unknown option -x\nusage: lmsys-papers digest/],
    [['repl', 'alice'], /^unexpected argument "alice"\nusage: lmsys-papers repl/],
    [['import', 'a.md', 'b.md'], /^unexpected argument "b\.md"\nusage: lmsys-papers import/],
    [['export', 'markdown', 'now'], /^unexpected argument "now"\nusage: lmsys-papers export/],
    [['discord', 'register', '--guid', '1'], /^unknown option --guid\nusage: lmsys-papers discord/],
    [['digest', '--date', '2025-13-01'], /^--date expects a date as YYYY-MM-DD, got "2025-13-01"/],
    [['ingest', '--from', '12/19/2025'], /^--from expects a date as YYYY-MM-DD, got "12\/19\/2025"/],
    [['export', 'markdown', '--to', 'tomorrow'], /^--to expects a date as YYYY-MM-DD, got "tomorrow"/],
    [['status', '--limit', '0'], /^--limit expects a positive whole number, got "0"/],
    [['search', 'MoE', '--limit', 'ten'], /^--limit expects a positive whole number, got "ten"/],
    [['search'], /^what should I search for\?\nusage: lmsys-papers search/],
    [['search', ' '], /^what should I search for\?/],
    [['discord'], /^the only discord action is register\nusage: lmsys-papers discord/],
    [['discord', 'unregister'], /^the only discord action is register/],
    [['export'], /^the only export format is markdown\nusage: lmsys-papers export/],
    [['import'], /^expected one markdown file\nusage: lmsys-papers import/],
  ])('GIVEN %j THEN it is a usage error (exit 2) before the archive is opened', async (argv, message) => {
    const result = await cli(...argv);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(existsSync(database)).toBe(false);
  });

  it.each([
    [['search', '-tag:MoE'], 'unknown option -t (from -tag:MoE): an argument that starts with "-" goes after "--", as in: lmsys-papers search -- -tag:MoE'],
    [
      ['search', 'serving', '-MoE', '--limit', '3'],
      'unknown option -M (from -MoE): an argument that starts with "-" goes after "--", as in: lmsys-papers search serving --limit 3 -- -MoE',
    ],
    [
      ['search', '-"kv cache"'],
      `unknown option -" (from '-"kv cache"'): an argument that starts with "-" goes after "--", as in: lmsys-papers search -- '-"kv cache"'`,
    ],
  ])(
    'GIVEN %j (a -word of the query language read as options) THEN the usage error names the argument and shows the -- that makes it a query',
    async (argv, message) => {
      const result = await cli(...argv);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr.split('\n')[0]).toBe(message);
      expect(existsSync(database)).toBe(false);
    },
  );

  it('GIVEN a search for a query starting with "-" after -- THEN it is a query, not an option', async () => {
    const result = await cli('search', '--', '-survey MoE');
    // Past the arguments, the bad DIGEST_TIMEZONE of this test stops it: the query was accepted.
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/DIGEST_TIMEZONE="Mars\/Base"/) });
  });

  it.each(['/help', 'help', '/papers-help'])('GIVEN %s in the console THEN it explains the commands, as the README says', async (line) => {
    const stdout = captureStream();
    const env = { ...TEST_ENV, DATABASE_URL: `sqlite://${database}` };
    const code = await runCli(['repl'], { env, stdout: stdout.stream, stderr: captureStream().stream, stdin: Readable.from([`${line}\n`]) });
    expect(code).toBe(0);
    expect(stdout.text()).toContain('`/papers [tags] [dates] [words]');
    expect(readme).toContain('`/papers-help [command]` (in the console also `/help` or `help`)');
  });

  it.each(NAMES)('GIVEN the README command table THEN it shows %s with every option it takes', (name) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`lmsys-papers ${name}`));
    expect(row, `README row for ${name}`).toBeDefined();
    const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
    for (const option of Object.keys(command?.options ?? {})) expect(row).toContain(`--${option}`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
