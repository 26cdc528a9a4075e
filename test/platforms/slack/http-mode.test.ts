import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { type SlackHandle, startSlack } from '../../../src/platforms/slack/start-slack.ts';
import { blocksOf, FakeSlackApi } from '../../fakes/slack-api.ts';
import { eventCallback, reactionEvent } from '../../fakes/slack-events.ts';
import { buttonPressBody, menuPickPayload, postSigned, postSignedJson, slashCommandBody } from '../../fakes/slack-signing.ts';
import { captureStream, TEST_ENV } from '../../helpers/test-app.ts';
import { paperView, RecordingRunner } from './slack-test-kit.ts';

const SECRET = 'test-signing-secret';

describe('Slack in HTTP mode: signed requests into the real Bolt receiver', () => {
  let fake: FakeSlackApi;
  let runner: RecordingRunner;
  let slack: SlackHandle;
  let logs: ReturnType<typeof captureStream>;
  let eventsUrl: string;
  let requestNumber = 0;

  beforeEach(async () => {
    fake = await FakeSlackApi.start();
    fake.users.set('UADMIN', { id: 'UADMIN', is_admin: true, tz: 'Europe/Berlin' });
    fake.users.set('UOWNER', { id: 'UOWNER', is_owner: true });
    fake.users.set('UMEMBER', { id: 'UMEMBER', tz: 'America/New_York' });
    fake.users.set('ULISTED', { id: 'ULISTED' });
    runner = new RecordingRunner();
    logs = captureStream();
    const config = loadConfig({
      ...TEST_ENV,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_MODE: 'http',
      SLACK_API_URL: fake.apiUrl,
      SLACK_ADMIN_USERS: 'ULISTED',
    });
    const handle = await startSlack(config, createLogger('info', logs.stream), {
      runner,
      listen: { port: 0, host: '127.0.0.1' },
      clientOptions: { retryConfig: { retries: 0 } },
    });
    if (!handle) throw new Error('slack did not start');
    slack = handle;
    eventsUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  });
  afterEach(async () => {
    await slack.stop();
    await fake.close();
  });

  function command(commandName: string, text: string, user = 'UMEMBER') {
    requestNumber += 1;
    const body = slashCommandBody({ command: commandName, text, user_id: user, channel_id: 'C100', response_url: fake.responseUrl(`r${requestNumber}`) });
    return postSigned(eventsUrl, SECRET, body);
  }

  function press(actionId: string, value: string, user = 'UMEMBER') {
    requestNumber += 1;
    const body = buttonPressBody({ action_id: actionId, value, user_id: user, channel_id: 'C100', response_url: fake.responseUrl(`r${requestNumber}`) });
    return postSigned(eventsUrl, SECRET, body);
  }

  it('GIVEN the bot started THEN it checked its token once with auth.test', () => {
    expect(fake.callsTo('auth.test')).toHaveLength(1);
    expect(slack.identity).toEqual({ botUserId: 'UBOT', botId: 'BBOT', teamName: 'Systems Lab' });
  });

  it('GIVEN /papers THEN an empty 200 ack comes before the command has answered, and the reply follows privately', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    runner.answer = () => ({ text: 'Papers tagged `MoE`: 1 paper.', papers: [paperView(1)], private: true });
    const original = runner.run.bind(runner);
    runner.run = async (request) => {
      await gate;
      return original(request);
    };
    const ack = await command('/papers', 'MoE last week');
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
    expect(fake.responses).toHaveLength(0);
    release();
    const [response] = await fake.waitForResponses(1);
    expect(response?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, unfurl_links: false, text: 'Papers tagged `MoE`: 1 paper.' });
    expect(blocksOf(response as never).map((block) => (block as { type: string }).type)).toEqual(['section', 'section', 'context']);
    expect(runner.requests[0]).toEqual({
      command: 'papers',
      text: 'MoE last week',
      cursor: null,
      caller: { platform: 'slack', userId: 'UMEMBER', displayName: 'umember', channelId: 'C100', canAdministerChannel: false, timeZone: 'America/New_York' },
    });
  });

  it('GIVEN text Slack escaped THEN the command gets what the person typed', async () => {
    await command('/papers', 'kv < cache & "paged attention"');
    await fake.waitForResponses(1);
    expect(runner.requests[0]?.text).toBe('kv < cache & "paged attention"');
  });

  it('GIVEN /papers … public THEN the word is dropped and the results are posted for the channel', async () => {
    runner.answer = () => ({ text: 'results', private: true, actions: [{ kind: 'share', command: 'papers', input: 'serving' }] });
    await command('/papers', 'serving public');
    const [response] = await fake.waitForResponses(1);
    expect(runner.requests[0]?.text).toBe('serving');
    expect(response?.body.response_type).toBe('in_channel');
    // Already public: nothing left to share.
    expect(blocksOf(response as never).map((block) => (block as { type: string }).type)).toEqual(['section']);
  });

  it('GIVEN a reply that would need more messages than a response_url takes (5) THEN five go out, the last saying so, and Slack refuses none', async () => {
    const long = 'Offloads cold experts to CPU memory & prefetches them one layer ahead. '.repeat(40);
    runner.answer = () => ({ text: 'Many papers', papers: Array.from({ length: 40 }, (_, index) => paperView(index, { tldr: long })), private: true });
    await command('/papers', 'MoE');
    const responses = await fake.waitForResponses(5);
    await command('/papers-help', '');
    await fake.waitForResponses(6);
    expect(responses.every((response) => response.id === responses[0]?.id)).toBe(true);
    expect(responses.at(-1)?.body.text).toBe('That is more than fits here; narrow the search to see the rest.');
    expect(fake.refusedResponses).toEqual([]);
  });

  it('GIVEN /subscribe public cloud THEN “public” is part of the subscription, not a visibility switch', async () => {
    await command('/subscribe', 'public cloud');
    const [response] = await fake.waitForResponses(1);
    expect(runner.requests[0]).toMatchObject({ command: 'subscribe', text: 'public cloud' });
    expect(response?.body.response_type).toBe('ephemeral');
  });

  it('GIVEN a reply the command made public (/digest here) THEN it is posted in the channel', async () => {
    runner.answer = () => ({ text: 'Ada set this channel to get the daily digest.', private: false });
    await command('/digest', 'here', 'UADMIN');
    const [response] = await fake.waitForResponses(1);
    expect(response?.body.response_type).toBe('in_channel');
  });

  it.each([
    ['UADMIN', true, 'Europe/Berlin'],
    ['UOWNER', true, 'America/Los_Angeles'],
    ['ULISTED', true, 'America/Los_Angeles'],
    ['UMEMBER', false, 'America/New_York'],
    ['UUNKNOWN', false, null],
  ])('GIVEN /digest from %s THEN canAdministerChannel is %s and the zone %s', async (user, admin, zone) => {
    await command('/digest', 'here MoE', user);
    await fake.waitForResponses(1);
    expect(runner.requests[0]?.caller).toMatchObject({ userId: user, canAdministerChannel: admin, timeZone: zone });
  });

  it('GIVEN two commands from one person THEN users.info is asked once', async () => {
    await command('/papers', 'a');
    await command('/papers', 'b');
    await fake.waitForResponses(2);
    expect(fake.callsTo('users.info')).toHaveLength(1);
  });

  it('GIVEN a bad signature THEN 401 and nothing runs', async () => {
    const body = slashCommandBody({ command: '/papers', text: 'x', user_id: 'UMEMBER', channel_id: 'C100', response_url: fake.responseUrl('forged') });
    const forged = await postSigned(eventsUrl, 'not-the-secret', body);
    expect(forged.status).toBe(401);
    await command('/papers', 'after');
    await fake.waitForResponses(1);
    expect(runner.requests.map((request) => request.text)).toEqual(['after']);
    expect(fake.responses.map((response) => response.id)).not.toContain('forged');
  });

  it('GIVEN a correctly signed request six minutes old THEN 401 and nothing runs', async () => {
    const body = slashCommandBody({ command: '/papers', text: 'replayed', user_id: 'UMEMBER', channel_id: 'C100', response_url: fake.responseUrl('replay') });
    const replayed = await postSigned(eventsUrl, SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60);
    expect(replayed.status).toBe(401);
    await command('/papers', 'fresh');
    await fake.waitForResponses(1);
    expect(runner.requests.map((request) => request.text)).toEqual(['fresh']);
  });

  it('GIVEN “More results” is pressed THEN the command runs with the cursor and the page is shown to whoever pressed', async () => {
    const ack = await press('papers_more', JSON.stringify({ command: 'papers', cursor: 'page-2' }));
    expect(ack.status).toBe(200);
    const [response] = await fake.waitForResponses(1);
    expect(runner.requests[0]).toMatchObject({ command: 'papers', text: '', cursor: 'page-2', caller: { userId: 'UMEMBER' } });
    expect(response?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  it('GIVEN “Subscribe to MoE” is pressed THEN /subscribe MoE runs for whoever pressed', async () => {
    await press('papers_subscribe', 'MoE', 'UADMIN');
    await fake.waitForResponses(1);
    expect(runner.requests[0]).toMatchObject({ command: 'subscribe', text: 'MoE', caller: { userId: 'UADMIN' } });
  });

  it('GIVEN “Share in channel” is pressed THEN the search runs again and is posted for the channel', async () => {
    await press('papers_share', JSON.stringify({ command: 'papers', input: 'serving last week' }));
    const [response] = await fake.waitForResponses(1);
    expect(runner.requests[0]).toMatchObject({ command: 'papers', text: 'serving last week' });
    expect(response?.body.response_type).toBe('in_channel');
  });

  it('GIVEN a paper’s ⋯ menu pick THEN the vote goes to the core for whoever picked, and the answer comes privately', async () => {
    requestNumber += 1;
    const body = new URLSearchParams({
      payload: JSON.stringify(
        menuPickPayload({
          action_id: 'paper_menu',
          label: '👎 Not relevant',
          value: 'v1|not-relevant|alert|2512.16473',
          user_id: 'UMEMBER',
          channel_id: 'DMEMBER',
          response_url: fake.responseUrl(`r${requestNumber}`),
        }),
      ),
    }).toString();
    expect((await postSigned(eventsUrl, SECRET, body)).status).toBe(200);
    const [response] = await fake.waitForResponses(1);
    expect(runner.votes).toEqual([
      {
        caller: expect.objectContaining({ platform: 'slack', userId: 'UMEMBER', channelId: 'DMEMBER' }),
        request: { paperId: '2512.16473', value: 'not-relevant', source: 'alert' },
      },
    ]);
    expect(response?.body).toMatchObject({ response_type: 'ephemeral', text: 'voted not-relevant on 2512.16473' });
  });

  it('GIVEN a signed reaction_added event on a digest paper THEN it is a vote on that paper, answered in the thread', async () => {
    const posted = await slack.messenger.postDigest('C100', { day: '2025-12-18', papers: [paperView(7)], tagCounts: [] });
    expect(posted.ok).toBe(true);
    const [header, reply] = fake.posted;
    const event = eventCallback(reactionEvent({ type: 'reaction_added', user: 'UMEMBER', reaction: '+1', channel: 'C100', ts: reply?.ts ?? '' }));
    if (!event.sent) throw new Error(event.reason);
    const ack = await postSignedJson(eventsUrl, SECRET, event.body);
    expect(ack.status).toBe(200);
    const [told] = await fake.waitForEphemerals(1);
    expect(runner.votes.map((vote) => vote.request)).toEqual([{ paperId: paperView(7).id, value: 'relevant', source: 'reaction' }]);
    expect(told?.params).toMatchObject({ channel: 'C100', user: 'UMEMBER', thread_ts: header?.ts, text: `voted relevant on ${paperView(7).id}` });
  });

  it('GIVEN a button value that is not ours THEN nothing runs and the person is told', async () => {
    await press('papers_more', 'not json');
    const [response] = await fake.waitForResponses(1);
    expect(runner.requests).toEqual([]);
    expect(response?.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('no longer works') });
  });

  it('GIVEN the command core throws THEN the person gets a plain apology and the error is logged, not shown', async () => {
    runner.answer = () => {
      throw new Error('database is locked at /var/secret/path');
    };
    await command('/papers', 'x');
    const [response] = await fake.waitForResponses(1);
    expect(response?.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('something went wrong') });
    expect(JSON.stringify(response?.body)).not.toContain('/var/secret');
    expect(logs.text()).toContain('slack command failed');
  });

  it('GIVEN a command acknowledged but still running WHEN the bot stops THEN its answer is sent before stop() returns', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = runner.run.bind(runner);
    runner.run = async (request) => {
      await gate;
      return original(request);
    };
    await command('/papers', 'slow');
    await fake.waitForCall('users.info');
    let stopped = false;
    const stopping = slack.stop().then(() => {
      stopped = true;
    });
    expect(fake.responses).toHaveLength(0);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(fake.responses).toHaveLength(1);
    // afterEach stops it again: a second stop must be harmless.
  });
});
