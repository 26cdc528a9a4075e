import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { type SlackHandle, startSlack } from '../../../src/platforms/slack/start-slack.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { slashCommandPayload } from '../../fakes/slack-signing.ts';
import { FakeSlackSocket } from '../../fakes/slack-socket.ts';
import { TEST_ENV } from '../../helpers/test-app.ts';
import { RecordingRunner } from './slack-test-kit.ts';

describe('Slack in Socket Mode: apps.connections.open and a local WebSocket', () => {
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let runner: RecordingRunner;
  let slack: SlackHandle | null;

  beforeEach(async () => {
    api = await FakeSlackApi.start();
    socket = await FakeSlackSocket.start();
    api.socket = socket;
    api.users.set('UMEMBER', { id: 'UMEMBER', tz: 'Asia/Tokyo' });
    runner = new RecordingRunner();
    const config = loadConfig({ ...TEST_ENV, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: api.apiUrl });
    slack = await startSlack(config, createLogger('silent'), { runner, clientOptions: { retryConfig: { retries: 0 } } });
  });
  afterEach(async () => {
    await slack?.stop();
    await socket.close();
    await api.close();
  });

  it('GIVEN the tokens THEN the app token opens the connection and the bot token is checked', async () => {
    expect(slack?.mode).toBe('socket');
    const [open] = api.callsTo('apps.connections.open');
    expect(open?.token).toBe('xapp-test');
    expect(api.callsTo('auth.test')[0]?.token).toBe('xoxb-test');
    await socket.connection();
  });

  it('GIVEN a slash-command envelope THEN the bot acks that envelope, then answers through response_url', async () => {
    runner.answer = () => ({ text: 'Subscribed to `MoE`.', private: true });
    const ack = await socket.deliver('slash_commands', {
      token: 'deprecated',
      team_id: 'T0001',
      channel_id: 'C100',
      channel_name: 'papers',
      user_id: 'UMEMBER',
      user_name: 'member',
      command: '/subscribe',
      text: 'MoE',
      api_app_id: 'A0001',
      response_url: api.responseUrl('socket-1'),
      trigger_id: '1.2.3',
    });
    expect(ack).toEqual({ envelope_id: expect.stringMatching(/^[0-9a-f-]{36}$/), payload: {} });
    const [response] = await api.waitForResponses(1);
    expect(response).toMatchObject({ id: 'socket-1', body: { response_type: 'ephemeral', text: 'Subscribed to `MoE`.' } });
    expect(runner.requests[0]).toMatchObject({ command: 'subscribe', text: 'MoE', caller: { userId: 'UMEMBER', timeZone: 'Asia/Tokyo' } });
  });

  it('GIVEN Slack recycles the connection THEN the bot opens a new one (a new ticket, hello again) and answers the next command there', async () => {
    const old = await socket.connection();
    const oldClosed = once(old, 'close');
    socket.disconnect('warning');
    await socket.waitForConnections(2);
    expect(api.callsTo('apps.connections.open')).toHaveLength(2);
    await oldClosed;
    expect(socket.open).toHaveLength(1);
    runner.answer = () => ({ text: 'still here', private: true });
    await socket.deliver(
      'slash_commands',
      slashCommandPayload({ command: '/papers', text: '', user_id: 'UMEMBER', channel_id: 'C100', response_url: api.responseUrl('after') }),
    );
    const [response] = await api.waitForResponses(1);
    expect(response).toMatchObject({ id: 'after', body: { text: 'still here' } });
  });

  it('GIVEN stop() THEN the WebSocket is closed', async () => {
    const connection = await socket.connection();
    const closed = new Promise((resolve) => connection.once('close', resolve));
    await slack?.stop();
    slack = null;
    await expect(closed).resolves.toBeDefined();
  });
});
