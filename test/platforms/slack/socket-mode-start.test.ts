import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { type SlackHandle, startSlack } from '../../../src/platforms/slack/start-slack.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { FakeSlackSocket } from '../../fakes/slack-socket.ts';
import { TEST_ENV } from '../../helpers/test-app.ts';
import { RecordingRunner } from './slack-test-kit.ts';

/**
 * Starting Socket Mode against a Slack that says no, or says nothing useful: start-up must end
 * (with Slack's reason, naming SLACK_APP_TOKEN) or give way to the stop signal, never retry for
 * ever. These run the real SDK with its own retry settings (no test shortcuts).
 */
describe('Socket Mode start-up against a Slack that refuses or fails', () => {
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let slack: SlackHandle | null = null;
  const config = () => loadConfig({ ...TEST_ENV, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: api.apiUrl });

  beforeEach(async () => {
    api = await FakeSlackApi.start();
    socket = await FakeSlackSocket.start();
    api.socket = socket;
  });
  afterEach(async () => {
    await slack?.stop();
    slack = null;
    await socket.close();
    await api.close();
  });

  it.each([
    ['not_allowed_token_type', 'must be the app-level token (xapp-…'],
    ['missing_scope', 'lacks the connections:write scope'],
    ['invalid_auth', 'is not valid'],
  ])('GIVEN apps.connections.open answers %s THEN start-up fails at once naming SLACK_APP_TOKEN, asking once', async (code, hint) => {
    api.script('apps.connections.open', { error: code });
    const started = performance.now();
    const failure = await startSlack(config(), createLogger('silent'), { runner: new RecordingRunner() }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toContain(`Slack refused SLACK_APP_TOKEN (apps.connections.open: ${code}): `);
    expect(failure).toContain(hint);
    expect(api.callsTo('apps.connections.open')).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(socket.connections).toBe(0);
  });

  it('GIVEN a bot token Slack takes for the app-level one THEN not_allowed_token_type from the strict fake ends start-up too', async () => {
    // What the issue saw (xoxb- in SLACK_APP_TOKEN), past our own prefix check: Slack's answer alone stops it.
    api.appTokens.clear();
    api.botTokens.add('xapp-test');
    await expect(startSlack(config(), createLogger('silent'), { runner: new RecordingRunner() })).rejects.toThrow(
      'Slack refused SLACK_APP_TOKEN (apps.connections.open: not_allowed_token_type)',
    );
  });

  it('GIVEN Slack keeps failing apps.connections.open WHEN the stop signal comes THEN start-up gives way at once, with nothing started', async () => {
    api.script('apps.connections.open', ...Array.from({ length: 50 }, () => ({ error: 'internal_error' })));
    const controller = new AbortController();
    const starting = startSlack(config(), createLogger('silent'), { runner: new RecordingRunner(), signal: controller.signal });
    await api.waitForCall('apps.connections.open');
    const stoppedAt = performance.now();
    controller.abort();
    await expect(starting).resolves.toBeNull();
    expect(performance.now() - stoppedAt).toBeLessThan(500);
    expect(socket.connections).toBe(0);
  });

  it('GIVEN the Socket Mode endpoint never says hello WHEN the stop signal comes THEN start-up gives way at once', async () => {
    // A connection that opens and then stays silent: the SDK waits for hello.
    socket.sayHello = false;
    const controller = new AbortController();
    const starting = startSlack(config(), createLogger('silent'), { runner: new RecordingRunner(), signal: controller.signal });
    await socket.waitForConnections(1);
    const stoppedAt = performance.now();
    controller.abort();
    await expect(starting).resolves.toBeNull();
    expect(performance.now() - stoppedAt).toBeLessThan(500);
  });
});
