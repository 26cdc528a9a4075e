import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { FakeSlackSocket } from '../fakes/slack-socket.ts';
import { captureStream, fixedClock, TEST_ENV } from '../helpers/test-app.ts';

const seedPath = new URL('../fixtures/seed-readme.md', import.meta.url).pathname;
const clock = fixedClock('2025-12-19T01:30:00Z');

/** A stdin that says it is a terminal, as process.stdin does when a person runs the command. */
function terminalInput(): PassThrough & { isTTY: boolean } {
  return Object.assign(new PassThrough(), { isTTY: true });
}

describe('lmsys-papers repl and serve with the console', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-console-'));
    env = { ...TEST_ENV, DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` };
    await runCli(['import', seedPath], { env, stdout: captureStream().stream, stderr: captureStream().stream, stdin: Readable.from([]) });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN echo "/papers MoE" | lmsys-papers repl THEN it prints the results and exits 0', async () => {
    const stdout = captureStream();
    const code = await runCli(['repl'], {
      env,
      stdout: stdout.stream,
      stderr: captureStream().stream,
      stdin: Readable.from(['/papers MoE\n']),
      appOptions: { now: clock.now },
    });
    expect(code).toBe(0);
    expect(stdout.text()).toMatch(/^`MoE` papers: 1–8 \(more below\), newest first\.\n\n1\. /);
    expect(stdout.text().replace(/\s+/g, ' ')).toContain('(type `more` for the next page; `/subscribe MoE` to get new MoE papers as alerts)');
  });

  it('GIVEN --user THEN subscriptions are kept per local user across runs', async () => {
    const run = async (user: string, line: string) => {
      const stdout = captureStream();
      await runCli(['repl', '--user', user], { env, stdout: stdout.stream, stderr: captureStream().stream, stdin: Readable.from([`${line}\n`]) });
      return stdout.text();
    };
    await run('alice', '/subscribe moe');
    expect(await run('alice', '/subscriptions')).toMatch(/^You follow 1 of at most 100: tag `MoE`\./);
    expect(await run('bob', '/subscriptions')).toMatch(/^You follow nothing yet\./);
  });

  it('GIVEN no chat token and a terminal THEN serve runs the console until SIGTERM (the abort signal)', async () => {
    const stdin = terminalInput();
    const stdout = new PassThrough();
    let written = '';
    const answered = new Promise<void>((resolve) => {
      stdout.on('data', (chunk) => {
        written += String(chunk);
        if (written.includes('Examples:')) resolve();
      });
    });
    const controller = new AbortController();
    const serving = runCli(['serve'], { env, stdout, stderr: captureStream().stream, stdin, signal: controller.signal, appOptions: { now: clock.now } });
    stdin.write('/papers-help digest\n');
    await answered;
    controller.abort();
    expect(await serving).toBe(0);
    expect(written).toContain('• `/digest here MoE serving`');
  });

  it('GIVEN the console in serve THEN quit stops the server', async () => {
    const stdin = terminalInput();
    const serving = runCli(['serve'], { env, stdout: captureStream().stream, stderr: captureStream().stream, stdin });
    stdin.write('quit\n');
    expect(await serving).toBe(0);
  });

  it('GIVEN the start-up run in an arXiv backoff THEN quit at the console stops it at once, as Ctrl-C does', async () => {
    const arxiv = await FakeArxiv.start();
    arxiv.outage = 503;
    const stdin = terminalInput();
    // Only to end a server that quit failed to stop; the test never aborts it before quit.
    const cleanup = new AbortController();
    try {
      const slowBackoff = { ...env, DIGEST_CRON: '0 8 * * *', ARXIV_RSS_URL: arxiv.rssUrl, ARXIV_API_URL: arxiv.apiUrl, ARXIV_RETRY_BASE_MS: '60000' };
      const serving = runCli(['serve'], {
        env: slowBackoff,
        stdout: captureStream().stream,
        stderr: captureStream().stream,
        stdin,
        signal: cleanup.signal,
        appOptions: { now: clock.now },
      });
      await arxiv.requested(1); // the first 503 is in: the client now waits 60 s before trying again
      stdin.write('quit\n');
      const budget = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 5000).unref());
      const outcome = await Promise.race([serving, budget]);
      cleanup.abort();
      await serving;
      expect(outcome).toBe(0);
      expect(arxiv.requests).toHaveLength(1);
    } finally {
      await arxiv.close();
    }
  });

  it('GIVEN serve with the console and a failing start-up run THEN the log goes to the file the banner names and the terminal gets one short line', async () => {
    const stdin = terminalInput();
    const stdout = captureStream();
    const stderr = new PassThrough();
    let errors = '';
    const failed = new Promise<void>((resolve) => {
      stderr.on('data', (chunk) => {
        errors += String(chunk);
        if (errors.includes('ERROR')) resolve();
      });
    });
    const offline = { ...env, LOG_LEVEL: 'info', DIGEST_CRON: '0 8 * * *', ARXIV_RSS_URL: 'http://127.0.0.1:1/rss', ARXIV_API_URL: 'http://127.0.0.1:1/api' };
    const serving = runCli(['serve'], { env: offline, stdout: stdout.stream, stderr, stdin, appOptions: { now: clock.now } });
    await failed;
    stdin.write('quit\n');
    expect(await serving).toBe(0);
    const logFile = join(dir, 'lmsys-papers.log');
    expect(stdout.text()).toContain(`Archive: ${join(dir, 'papers.db')} (847 papers, 847 relevant).\nLogs go to ${logFile}; errors also show here.`);
    expect(stdout.text()).not.toContain('{"level"');
    expect(errors).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ERROR ingest: ingest failed — day=2025-12-18: .+ \\(details in ${logFile}\\)$`, 'm'));
    expect(errors).not.toContain('{"level"');
    expect(errors).not.toContain('WARN'); // the retries before the failure are in the file only
    expect(errors).not.toMatch(/^\s+at /m);
    const logged = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; err?: { stack?: string } });
    expect(logged.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['lmsys-papers serving', 'ingest failed']));
    expect(logged.find((entry) => entry.msg === 'ingest failed')?.err?.stack).toMatch(/\n\s+at /);
  });

  it('GIVEN someone typing at the console when the daily run fails THEN the error line goes above the prompt, which comes back with what they typed', async () => {
    const arxiv = await FakeArxiv.start();
    const { promise: answered, resolve: answer } = Promise.withResolvers<void>();
    arxiv.script('rss', { status: 400, until: answered });
    arxiv.script('api', { status: 400, until: answered });
    const stdin = terminalInput();
    const terminal = captureStream(); // stdout and stderr are the same terminal
    const failing = { ...env, LOG_LEVEL: 'info', DIGEST_CRON: '0 8 * * *', ARXIV_RSS_URL: arxiv.rssUrl, ARXIV_API_URL: arxiv.apiUrl, ARXIV_MAX_RETRIES: '0' };
    try {
      const serving = runCli(['serve'], { env: failing, stdout: terminal.stream, stderr: terminal.stream, stdin, appOptions: { now: clock.now } });
      await terminal.until(/papers> /);
      stdin.write('/papers Mo');
      await terminal.until(/\/papers Mo/);
      await arxiv.requested(1);
      answer();
      await terminal.until(/ERROR ingest/);
      stdin.write('E\nquit\n');
      expect(await serving).toBe(0);
      const text = terminal.text();
      const erased = '\r\u001b[K'; // the prompt line is erased before the error is printed
      expect(text).toMatch(new RegExp(`${escapeRegExp(erased)}\\d\\d:\\d\\d:\\d\\d ERROR ingest: ingest failed`));
      expect(text).toMatch(/ERROR ingest: [^\n]*\n[^\n]*papers> [^\n]*\/papers Mo/);
      expect(text).toContain('`MoE` papers: 1–8');
    } finally {
      answer();
      await arxiv.close();
    }
  });

  it('GIVEN a Slack token THEN serve leaves the terminal alone and still stops on the signal', async () => {
    // Slack connects for real, to local fakes of its Web API and Socket Mode endpoint.
    const api = await FakeSlackApi.start();
    const socket = await FakeSlackSocket.start();
    api.socket = socket;
    try {
      const stdin = terminalInput();
      const stderr = new PassThrough();
      let written = '';
      // Running means Slack said hello on the connection: a stop before that gives up starting Slack.
      const running = new Promise<void>((resolve) =>
        stderr.on('data', (chunk) => {
          written += String(chunk);
          if (written.includes('is running')) resolve();
        }),
      );
      const controller = new AbortController();
      const serving = runCli(['serve'], {
        env: { ...env, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: api.apiUrl },
        stdout: captureStream().stream,
        stderr,
        stdin,
        signal: controller.signal,
      });
      stdin.write('quit\n');
      await running;
      controller.abort();
      expect(await serving).toBe(0);
      expect(written).toBe('lmsys-papers is running (slack, web); Ctrl-C stops it\n');
    } finally {
      await socket.close();
      await api.close();
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
