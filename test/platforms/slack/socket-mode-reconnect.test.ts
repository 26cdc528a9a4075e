import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import type { ReconnectTiming } from '../../../src/platforms/slack/reconnect-policy.ts';
import { type SlackHandle, startSlack } from '../../../src/platforms/slack/start-slack.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { slashCommandPayload } from '../../fakes/slack-signing.ts';
import { type DisconnectReason, FakeSlackSocket, type FakeSlackSocketOptions } from '../../fakes/slack-socket.ts';
import { TEST_ENV } from '../../helpers/test-app.ts';
import { RecordingRunner } from './slack-test-kit.ts';

/** Waits short enough for a test, long enough to tell them apart under load (a connection is "young" for a minute). */
const FAST: Partial<ReconnectTiming> = { retryBaseMs: 300, retryMaxMs: 1200, stableMs: 60_000 };
/** The waits FAST gives after one, two and three failures in a row. */
const FAST_WAITS = [300, 600, 1200];

/** Each measured wait took its scheduled time: not less (timers are ms-exact, Date.now stamps within 10 ms), not a second more. */
function expectWaits(measured: readonly number[], scheduled: readonly number[]): void {
  expect(measured).toHaveLength(scheduled.length);
  for (const [index, wait] of scheduled.entries()) {
    expect(measured[index]).toBeGreaterThanOrEqual(wait - 10);
    expect(measured[index]).toBeLessThan(wait + 1000);
  }
}

/**
 * Socket Mode across Slack's recycles and failures, against the strict fake (a `hello` on every
 * connection, one-use tickets, the three `disconnect` kinds, no envelope on a connection being
 * recycled). @slack/socket-mode 3.1.0 on its own waits 5 s before every reconnection.
 */
describe('Socket Mode reconnection', () => {
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let runner: RecordingRunner;
  let slack: SlackHandle | null = null;

  /** Starts the Socket Mode fake (`before` runs once it listens) and then the bot. */
  async function start(
    timing: Partial<ReconnectTiming> = {},
    socketOptions: FakeSlackSocketOptions = {},
    before?: () => Promise<void>,
    signal?: AbortSignal,
  ): Promise<SlackHandle> {
    socket = await FakeSlackSocket.start(socketOptions);
    api.socket = socket;
    await before?.();
    const config = loadConfig({ ...TEST_ENV, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: api.apiUrl });
    slack = await startSlack(config, createLogger('silent'), {
      runner,
      clientOptions: { retryConfig: { retries: 0 } },
      reconnect: timing,
      ...(signal ? { signal } : {}),
    });
    if (!slack) throw new Error('slack did not start');
    return slack;
  }

  /** Milliseconds from `act` until the fake accepted the next connection (it says hello as it accepts). */
  async function msToNextHello(act: () => void): Promise<number> {
    const next = socket.connections + 1;
    const started = performance.now();
    act();
    await socket.waitForConnections(next);
    return performance.now() - started;
  }

  beforeEach(async () => {
    api = await FakeSlackApi.start();
    api.users.set('UMEMBER', { id: 'UMEMBER', tz: 'Europe/Berlin' });
    runner = new RecordingRunner();
  });
  afterEach(async () => {
    await slack?.stop();
    slack = null;
    await socket?.close();
    await api.close();
  });

  it.each<DisconnectReason>(['warning', 'refresh_requested', 'too_many_websockets'])(
    'GIVEN Slack sends disconnect (%s) THEN the next connection says hello within a second, on a new ticket',
    async (reason) => {
      await start();
      await socket.waitForConnections(1);
      const ms = await msToNextHello(() => socket.disconnect(reason));
      expect(ms).toBeLessThan(1000);
      expect(api.callsTo('apps.connections.open')).toHaveLength(2);
      expect(socket.refusedTickets).toBe(0);
    },
  );

  it('GIVEN Slack leaves the recycled connection hanging THEN the next one says hello at once, without waiting for the old one to close', async () => {
    await start();
    const old = await socket.connection();
    socket.holdRecycled = true;
    const ms = await msToNextHello(() => socket.disconnect('refresh_requested'));
    expect(ms).toBeLessThan(1000);
    expect(old.readyState).toBe(WebSocket.OPEN);
  });

  it('GIVEN a recycle WHEN a slash command is typed right after it THEN it is acked on the new connection and answered within 3 s', async () => {
    await start();
    await socket.waitForConnections(1);
    runner.answer = () => ({ text: 'three papers', private: true });
    const typedAt = performance.now();
    socket.disconnect('refresh_requested');
    const payload = slashCommandPayload({
      command: '/papers',
      text: 'MoE',
      user_id: 'UMEMBER',
      channel_id: 'C100',
      response_url: api.responseUrl('right-after'),
    });
    const ack = await socket.deliver('slash_commands', payload);
    const [response] = await api.waitForResponses(1);
    expect(performance.now() - typedAt).toBeLessThan(3000);
    expect(ack.envelope_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response).toMatchObject({ id: 'right-after', body: { text: 'three papers' } });
    expect(socket.connections).toBe(2);
  });

  it('GIVEN the connection keeps dropping without a disconnect message THEN each reconnection waits longer (backoff)', async () => {
    await start(FAST);
    await socket.waitForConnections(1);
    const gaps: number[] = [];
    for (let drop = 0; drop < 3; drop++) gaps.push(await msToNextHello(() => socket.drop()));
    // Young connections (under stableMs) count as failures: 300, 600, then 1,200 ms (the cap).
    expectWaits(gaps, FAST_WAITS);
    expect(api.callsTo('apps.connections.open')).toHaveLength(4);
  });

  it('GIVEN a connection that had lasted drops THEN the bot reconnects at once', async () => {
    await start({ retryBaseMs: 5000, stableMs: 0 });
    await socket.waitForConnections(1);
    expect(await msToNextHello(() => socket.drop())).toBeLessThan(1000);
  });

  it('GIVEN apps.connections.open keeps failing after a recycle THEN the attempts back off until one succeeds', async () => {
    await start(FAST);
    await socket.waitForConnections(1);
    api.script('apps.connections.open', { error: 'internal_error' }, { status: 503 }, { error: 'internal_error' });
    socket.disconnect('warning');
    await socket.waitForConnections(2);
    const times = api.callsTo('apps.connections.open').map((call) => call.at);
    const waits = times.slice(1).map((at, index) => at - (times[index] as number));
    expect(waits).toHaveLength(4);
    // The first attempt right after the recycle, then 300, 600, 1,200 ms after each failure.
    expect(waits[0]).toBeLessThan(1000);
    expectWaits(waits.slice(1), FAST_WAITS);
  });

  it('GIVEN Slack turns the app-level token away after start-up THEN the bot keeps trying (backing off) and is back once Slack takes it again', async () => {
    await start(FAST);
    await socket.waitForConnections(1);
    api.appTokens.delete('xapp-test');
    socket.disconnect('refresh_requested');
    await api.waitForCall('apps.connections.open', 4);
    expect(socket.connections).toBe(1);
    api.appTokens.add('xapp-test');
    await socket.waitForConnections(2);
  });

  it('GIVEN a 429 from apps.connections.open THEN the next attempt waits for its Retry-After', async () => {
    await start(FAST);
    await socket.waitForConnections(1);
    api.script('apps.connections.open', { status: 429, retryAfter: 2 });
    const recycledAt = Date.now();
    socket.disconnect('refresh_requested');
    await socket.waitForConnections(2);
    const [, limited, next] = api.callsTo('apps.connections.open');
    expect((limited?.at ?? 0) - recycledAt).toBeLessThan(1000);
    expectWaits([(next?.at ?? 0) - (limited?.at ?? 0)], [2000]);
  });

  it('GIVEN Slack already holds as many connections as it allows THEN the bot tries again at once, then backs off until a place is free', async () => {
    // Another process of the app holds the only place: each connection of ours is told too_many_websockets.
    let other: WebSocket | null = null;
    const helloAt: number[] = [];
    await start(FAST, { maxConnections: 1 }, async () => {
      other = new WebSocket(socket.issueUrl());
      await once(other, 'open');
      socket.on('connection', () => helloAt.push(performance.now()));
    });
    await socket.waitForConnections(5);
    const gaps = helloAt.slice(1, 4).map((at, index) => at - (helloAt[index] as number));
    // Refused at once (too_many_websockets), tried again at once, then after 300 and 600 ms.
    expect(gaps[0]).toBeLessThan(290);
    expectWaits(gaps.slice(1), FAST_WAITS.slice(0, 2));
    const leaving = other as WebSocket | null;
    leaving?.close();
    if (leaving) await once(leaving, 'close');
    runner.answer = () => ({ text: 'back', private: true });
    await socket.deliver(
      'slash_commands',
      slashCommandPayload({ command: '/papers', text: '', user_id: 'UMEMBER', channel_id: 'C100', response_url: api.responseUrl('back') }),
    );
    expect((await api.waitForResponses(1))[0]).toMatchObject({ body: { text: 'back' } });
  });

  it('GIVEN the bot is waiting to reconnect WHEN it stops THEN the stop is immediate and nothing reconnects afterwards', async () => {
    await start({ retryBaseMs: 200, retryMaxMs: 200, stableMs: 60_000 });
    await socket.waitForConnections(1);
    api.script('apps.connections.open', ...Array.from({ length: 50 }, () => ({ error: 'internal_error' })));
    const recycledAt = performance.now();
    socket.disconnect('warning');
    await api.waitForCall('apps.connections.open', 3);
    // At once after the recycle, then 200 ms after the failure.
    expect(performance.now() - recycledAt).toBeLessThan(1200);
    const stoppedAt = performance.now();
    await slack?.stop();
    slack = null;
    expect(performance.now() - stoppedAt).toBeLessThan(500);
    const callsAtStop = api.callsTo('apps.connections.open').length;
    // Nothing to wait on for "nothing happens": give it five retry intervals.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(api.callsTo('apps.connections.open')).toHaveLength(callsAtStop);
    expect(socket.connections).toBe(1);
    expect(socket.open).toHaveLength(0);
  });
});
