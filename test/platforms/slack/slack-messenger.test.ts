import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestMessage, Messenger } from '../../../src/domain/delivery.ts';
import { createLogger } from '../../../src/log.ts';
import { ChannelPacer } from '../../../src/platforms/slack/channel-pacer.ts';
import { createApiClient } from '../../../src/platforms/slack/create-slack-app.ts';
import { createSlackMessenger } from '../../../src/platforms/slack/slack-messenger.ts';
import { blocksOf, FakeSlackApi } from '../../fakes/slack-api.ts';
import { captureStream } from '../../helpers/test-app.ts';
import { paperView } from './slack-test-kit.ts';

const digest = (count: number): DigestMessage => ({
  day: '2025-12-18',
  papers: Array.from({ length: count }, (_, index) => paperView(index)),
  tagCounts: [['serving', count]],
});

describe('Slack messenger against the fake Web API', () => {
  let fake: FakeSlackApi;
  let logs: ReturnType<typeof captureStream>;
  let waits: number[];
  let messenger: Messenger;

  function build(
    options: { maxAttempts?: number; pacer?: ChannelPacer; realSleep?: boolean; rateLimitedWaitMs?: number; signal?: AbortSignal } = {},
  ): Messenger {
    const log = createLogger('debug', logs.stream);
    const client = createApiClient({ mode: 'socket', apiUrl: fake.apiUrl, botToken: 'xoxb-test', appToken: 'xapp-test', adminUsers: [] }, log);
    return createSlackMessenger({
      client,
      log,
      pacer: options.pacer ?? new ChannelPacer({ intervalMs: 0 }),
      // Retry-After is recorded, not waited out: the assertions are about what was asked.
      sleep: options.realSleep ? undefined : async (ms) => void waits.push(ms),
      maxAttempts: options.maxAttempts,
      ...(options.rateLimitedWaitMs === undefined ? {} : { rateLimitedWaitMs: options.rateLimitedWaitMs }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  beforeEach(async () => {
    fake = await FakeSlackApi.start();
    fake.addUsers('U42', 'U1', 'U2', 'U3');
    logs = captureStream();
    waits = [];
    messenger = build();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN a digest THEN a header in the channel and each paper as its own reply in its thread (named in its metadata), previews off', async () => {
    const result = await messenger.postDigest('C100', digest(30));
    const [header, ...replies] = fake.posted;
    expect(replies).toHaveLength(30);
    expect(replies.map((reply) => reply.metadata?.event_payload.paper)).toEqual(digest(30).papers.map((paper) => paper.id));
    expect(header?.metadata?.event_payload.paper).toBeUndefined();
    expect(result).toEqual({ ok: true, ref: `C100:${header?.ts}` });
    expect(header?.call.params).toMatchObject({ channel: 'C100', text: '*30 papers* · serving 30 (2025-12-18)', unfurl_links: 'false', unfurl_media: 'false' });
    expect(header?.threadTs).toBeNull();
    expect(header?.call.token).toBe('xoxb-test');
    for (const reply of replies) {
      expect(reply.threadTs).toBe(header?.ts);
      expect(reply.call.params).toMatchObject({ channel: 'C100', unfurl_links: 'false', unfurl_media: 'false' });
    }
    const sections = replies.flatMap((reply) => blocksOf(reply.call)).filter((block) => (block as { type: string }).type === 'section');
    expect(sections).toHaveLength(30);
  });

  it.each([
    ['channel_not_found', 'channel not found'],
    ['not_in_channel', '/invite @lmsys-papers'],
  ])('GIVEN Slack answers %s THEN a permanent failure with a reason an admin can act on, and no retry', async (error, reason) => {
    if (error === 'channel_not_found') fake.missingChannels.add('C404');
    else fake.channelsWithoutBot.add('C404');
    const result = await messenger.postDigest('C404', digest(3));
    expect(result).toMatchObject({ ok: false, permanent: true, reason: expect.stringContaining(reason) });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(logs.text()).toContain('slack send failed for good');
  });

  it('GIVEN a 429 with Retry-After 2 THEN the messenger waits 2 s and the message goes through once', async () => {
    fake.script('chat.postMessage', { status: 429, retryAfter: 2 });
    const result = await messenger.postDigest('C100', digest(1));
    expect(result.ok).toBe(true);
    expect(waits).toEqual([2000]);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3); // the refused header, the header, one thread reply
  });

  it('GIVEN Slack keeps failing THEN it gives up with a transient failure, and the next call resumes the same thread', async () => {
    messenger = build({ maxAttempts: 2 });
    // The header goes through; the first thread reply fails on both attempts.
    fake.script('chat.postMessage', { pass: true }, { error: 'internal_error' }, { error: 'internal_error' });
    const first = await messenger.postDigest('C100', digest(2));
    expect(first).toMatchObject({ ok: false, permanent: false, reason: 'Slack answered internal_error' });
    expect(waits).toEqual([1000]);
    const again = await messenger.postDigest('C100', digest(2));
    expect(again.ok).toBe(true);
    const [header, ...replies] = fake.posted;
    expect(fake.posted.filter((message) => message.threadTs === null)).toHaveLength(1);
    expect(replies.map((reply) => reply.threadTs)).toEqual([header?.ts, header?.ts]);
  });

  it('GIVEN an alert THEN a DM is opened with conversations.open and the alert posted there', async () => {
    const result = await messenger.sendAlert('U42', { day: '2025-12-18', papers: [paperView(1, { reasons: ['MoE'] })] });
    expect(result).toMatchObject({ ok: true, ref: expect.stringMatching(/^D42:/) });
    expect(fake.callsTo('conversations.open').map((call) => call.params.users)).toEqual(['U42']);
    const [post] = fake.posted;
    expect(post?.call.params).toMatchObject({ channel: 'D42', unfurl_links: 'false', text: '1 new paper for your subscriptions · 2025-12-18' });
    expect(JSON.stringify(post ? blocksOf(post.call) : [])).toContain('because you follow MoE');
  });

  it('GIVEN a second alert to the same person THEN the DM channel is not opened again', async () => {
    const alert = { day: '2025-12-18', papers: [paperView(1)] };
    await messenger.sendAlert('U42', alert);
    await messenger.sendAlert('U42', { ...alert, day: '2025-12-19' });
    expect(fake.callsTo('conversations.open')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('GIVEN a deactivated user THEN a permanent failure and nothing posted', async () => {
    fake.deactivate('U99');
    const result = await messenger.sendAlert('U99', { day: '2025-12-18', papers: [paperView(1)] });
    expect(result).toMatchObject({ ok: false, permanent: true, reason: expect.stringContaining('deactivated') });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('GIVEN the API enforces one message per 50 ms per channel THEN paced sends draw no 429 and lose nothing', async () => {
    fake.perChannelIntervalMs = 50;
    messenger = build({ pacer: new ChannelPacer({ intervalMs: 50 }), realSleep: true });
    const alerts = ['U1', 'U2', 'U3'].map((user) =>
      messenger.sendAlert(user, { day: '2025-12-18', papers: Array.from({ length: 60 }, (_, index) => paperView(index, { reasons: ['MoE'] })) }),
    );
    const results = await Promise.all(alerts);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.rateLimitedCount).toBe(0);
    const perUser = ['D1', 'D2', 'D3'].map((channel) => fake.callsTo('chat.postMessage').filter((call) => call.params.channel === channel).length);
    // 60 papers with their ⋯ menus take five messages each.
    expect(perUser).toEqual([5, 5, 5]);
  });

  it('GIVEN chat.postMessage answers HTTP 200 rate_limited THEN it is a passing fault: the messenger holds off and the message goes through', async () => {
    fake.script('chat.postMessage', { pass: true }, { error: 'rate_limited' });
    const result = await messenger.postDigest('C100', digest(1));
    expect(result.ok).toBe(true);
    expect(waits).toEqual([30_000]);
    expect(fake.posted).toHaveLength(2);
  });

  it('GIVEN the app posts faster than Slack’s app-wide limit THEN every message arrives, none failed for good', async () => {
    fake.appPostLimit = { posts: 2, windowMs: 200 };
    messenger = build({ realSleep: true, rateLimitedWaitMs: 250 });
    const result = await messenger.postDigest('C100', digest(6));
    expect(result.ok).toBe(true);
    expect(fake.appRateLimitedCount).toBeGreaterThan(0);
    expect(fake.posted).toHaveLength(7);
  });

  it('GIVEN Slack asks to wait 30 s WHEN the stop signal comes THEN the send is handed back at once, to be retried later, not waited out', async () => {
    const controller = new AbortController();
    messenger = build({ realSleep: true, signal: controller.signal });
    fake.script('chat.postMessage', { status: 429, retryAfter: 30 });
    const sending = messenger.postDigest('C100', digest(1));
    await fake.waitForCall('chat.postMessage');
    const stoppedAt = performance.now();
    controller.abort();
    await expect(sending).resolves.toMatchObject({ ok: false, permanent: false });
    expect(performance.now() - stoppedAt).toBeLessThan(500);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
