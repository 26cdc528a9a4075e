import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { FakeSlackSocket } from '../../fakes/slack-socket.ts';

const BIN = new URL('../../../bin/lmsys-papers.js', import.meta.url).pathname;

type Serve = {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when the process has written `text` (stdout or stderr). */
  waitFor(text: string): Promise<void>;
  readonly exited: Promise<{ code: number | null; at: number }>;
};

/** A real `lmsys-papers serve` process, as an operator runs it. */
function serve(env: Record<string, string>): Serve {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiting = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += String(chunk);
    for (const check of waiting) check();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, at: performance.now() }));
  return {
    child,
    output: () => output,
    waitFor: (text) =>
      new Promise((resolve) => {
        const check = () => {
          if (!output.includes(text)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      }),
    exited,
  };
}

/**
 * SIGTERM must end `serve` within 5 s in every Slack state: starting against a Slack that refuses
 * or keeps failing, and running (waiting for a hello that never comes is covered in-process, in
 * socket-mode-start.test.ts). A real child process, real signals, the strict fakes.
 */
describe('lmsys-papers serve with Slack stops within seconds', () => {
  let dir: string;
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let running: Serve | null = null;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-slack-stop-'));
    api = await FakeSlackApi.start();
    socket = await FakeSlackSocket.start();
    api.socket = socket;
    env = {
      DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`,
      LOG_LEVEL: 'info',
      DIGEST_CRON: 'off',
      WEB_HOST: '127.0.0.1',
      WEB_PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: api.apiUrl,
    };
  });
  afterEach(async () => {
    running?.child.kill('SIGKILL');
    running = null;
    await socket.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts serve, sends SIGTERM once `ready` says so, and returns how long the process took to exit after it. */
  async function stopAfter(ready: (serving: Serve) => Promise<unknown>): Promise<{ code: number | null; ms: number; output: string }> {
    const serving = serve(env);
    running = serving;
    await ready(serving);
    const sentAt = performance.now();
    serving.child.kill('SIGTERM');
    const { code, at } = await serving.exited;
    return { code, ms: at - sentAt, output: serving.output() };
  }

  it('GIVEN a bot token in SLACK_APP_TOKEN THEN serve ends by itself at once, naming SLACK_APP_TOKEN, without calling Slack', async () => {
    env.SLACK_APP_TOKEN = 'xoxb-test';
    // It exits without a signal (before: it never finished starting and ignored SIGTERM).
    running = serve(env);
    const { code } = await running.exited;
    expect(code).toBe(2);
    expect(running.output()).toContain('SLACK_APP_TOKEN=(hidden): must start with xapp-');
    expect(api.calls).toEqual([]);
  });

  it('GIVEN Slack answers not_allowed_token_type for the app token THEN serve ends by itself with Slack’s reason, naming SLACK_APP_TOKEN', async () => {
    api.appTokens.clear();
    api.botTokens.add('xapp-test');
    running = serve(env);
    const { code } = await running.exited;
    expect(code).toBe(1);
    expect(running.output()).toContain('Slack refused SLACK_APP_TOKEN (apps.connections.open: not_allowed_token_type)');
    expect(api.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('GIVEN Slack keeps failing apps.connections.open (serve still starting) WHEN SIGTERM THEN serve exits within 5 s', async () => {
    api.script('apps.connections.open', ...Array.from({ length: 100 }, () => ({ error: 'internal_error' })));
    const stopped = await stopAfter(() => api.waitForCall('apps.connections.open'));
    expect(stopped.ms).toBeLessThan(5000);
    expect(stopped.code).toBe(0);
  });

  it('GIVEN Slack recycled the connection and apps.connections.open keeps failing THEN the attempts back off and SIGTERM ends serve within 5 s, with no reconnect after it', async () => {
    const stopped = await stopAfter(async (serving) => {
      await serving.waitFor('lmsys-papers is running (slack');
      api.script('apps.connections.open', ...Array.from({ length: 100 }, () => ({ error: 'internal_error' })));
      socket.disconnect('refresh_requested');
      // The first attempt at once, then 1 s and 2 s after each failure: the fourth call comes about 3 s on.
      await api.waitForCall('apps.connections.open', 4);
    });
    expect(stopped.ms).toBeLessThan(5000);
    expect(stopped.code).toBe(0);
    const [, ...reconnects] = api.callsTo('apps.connections.open').map((call) => call.at);
    const waits = reconnects.slice(1).map((at, index) => at - (reconnects[index] as number));
    expect(waits.slice(0, 2).map((wait) => Math.round(wait / 1000))).toEqual([1, 2]);
    expect(stopped.output).toContain('slack bot stopped');
    const afterStop = stopped.output.slice(stopped.output.indexOf('slack bot stopped'));
    expect(afterStop).not.toContain('slack reconnect');
    expect(socket.connections).toBe(1);
  });

  it('GIVEN serve running with Slack connected WHEN SIGTERM THEN it exits within 5 s, the connection closed', async () => {
    const stopped = await stopAfter((serving) => serving.waitFor('lmsys-papers is running (slack'));
    expect(stopped.ms).toBeLessThan(5000);
    expect(stopped.code).toBe(0);
    expect(socket.open).toHaveLength(0);
  });
});
