import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryProgress, DigestMessage } from '../../../src/domain/delivery.ts';
import { createLogger } from '../../../src/log.ts';
import { createDiscordMessenger } from '../../../src/platforms/discord/discord-messenger.ts';
import { createDiscordRest, STOP_GRACE_MS } from '../../../src/platforms/discord/discord-rest.ts';
import { renderAlert, renderDigest } from '../../../src/platforms/discord/render-delivery.ts';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import { DISCORD_ERRORS } from '../../fakes/discord/rest-server.ts';
import { captureStream } from '../../helpers/test-app.ts';
import { samplePaper } from './fake-command-port.ts';

const CHANNEL = '1100000000000000010';
const USER = '1100000000000001000';
const channelPosts = (channel: string) => new RegExp(`^/channels/${channel}/messages$`);

/** The delivery ledger's side of DeliveryProgress: one stored string, each save recorded; `crashAfter` saves, it throws as a dying process would. */
class LedgerProgress implements DeliveryProgress {
  state: string | null = null;
  readonly saves: string[] = [];
  crashAfter = Number.POSITIVE_INFINITY;

  async load(): Promise<string | null> {
    return this.state;
  }

  async save(state: string): Promise<void> {
    this.state = state;
    this.saves.push(state);
    if (this.saves.length >= this.crashAfter) throw new Error('process killed');
  }
}

function digest(count: number): DigestMessage {
  return {
    day: '2025-12-18',
    papers: Array.from({ length: count }, (_, index) => samplePaper(index + 1)),
    tagCounts: [
      ['MoE', count],
      ['serving', count],
    ],
  };
}

describe('Discord messenger (digests and alert DMs)', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  const messenger = (attempts = 3) =>
    createDiscordMessenger({ rest: createDiscordRest(fake.apiUrl, fake.token), log: createLogger('silent'), attempts, retryBaseMs: 1 });

  it('GIVEN a 12-paper digest THEN a header message, then each paper alone in a follow-up with its vote buttons, pings off on every message', async () => {
    const result = await messenger().postDigest(CHANNEL, digest(12));

    expect(result.ok).toBe(true);
    const posted = fake.rest.posted.get(CHANNEL) ?? [];
    expect(posted.map((message) => (message.embeds as unknown[]).length)).toEqual([0, ...Array(12).fill(1)]);
    expect(posted.slice(1).map((message) => (message.components as { components: { custom_id: string }[] }[])[0]?.components[0]?.custom_id)).toEqual(
      digest(12).papers.map((paper) => `lp:vote:r:d:${paper.id}`),
    );
    expect(posted[0]?.content).toBe(
      '**arXiv digest for 2025-12-18** — 12 papers · MoE 12 · serving 12\nReact 👍 or 👎 to a paper, or use its buttons, to tell the filter what the group wants.',
    );
    expect(posted.every((message) => JSON.stringify(message.allowed_mentions) === '{"parse":[]}')).toBe(true);
    expect(fake.rest.requests.every((request) => request.authorized)).toBe(true);
  });

  it('GIVEN Discord created a message but its answer was lost (a 502 after the fact) THEN the retry carries the same nonce and the channel gets it once', async () => {
    fake.rest.failAfterCommit('POST', channelPosts(CHANNEL), { status: 502, body: { message: 'Bad Gateway', code: 0 } });
    const result = await messenger().postDigest(CHANNEL, digest(1));

    expect(result.ok).toBe(true);
    const attempts = fake.rest.requests.filter((request) => channelPosts(CHANNEL).test(request.path));
    expect(attempts).toHaveLength(3);
    expect(attempts[0]?.body).toMatchObject({ enforce_nonce: true, nonce: attempts[1]?.body?.nonce });
    expect(String(attempts[0]?.body?.nonce)).toHaveLength(25);
    expect(attempts[2]?.body?.nonce).not.toBe(attempts[0]?.body?.nonce);
    expect(fake.rest.posted.get(CHANNEL)?.map((message) => (message.embeds as unknown[]).length)).toEqual([0, 1]);
  });

  it('GIVEN the same digest posted again in a second process THEN every message carries the nonce it had the first time', async () => {
    await messenger().postDigest(CHANNEL, digest(1));
    await messenger().postDigest(CHANNEL, digest(1));

    const nonces = fake.rest.requests.filter((request) => channelPosts(CHANNEL).test(request.path)).map((request) => request.body?.nonce);
    expect(nonces.slice(2)).toEqual(nonces.slice(0, 2));
    // Within Discord's few minutes the second run makes nothing new; after them it would post again (the ledger prevents that).
    expect(fake.rest.posted.get(CHANNEL)).toHaveLength(2);
  });

  it('GIVEN a 429 with retry_after on a channel post THEN discord.js waits it out, retries, and the digest is complete', async () => {
    fake.rest.fail('POST', channelPosts(CHANNEL), {
      status: 429,
      headers: { 'retry-after': '1', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 0.73, global: false },
    });
    const result = await messenger().postDigest(CHANNEL, digest(1));

    expect(result.ok).toBe(true);
    const attempts = fake.rest.requests.filter((request) => channelPosts(CHANNEL).test(request.path));
    expect(attempts).toHaveLength(3);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(fake.rest.posted.get(CHANNEL)).toHaveLength(2);
  });

  it('GIVEN Discord-style per-channel limits THEN a long digest is paced from the bucket headers and never meets a 429', async () => {
    fake.rest.rateLimit([{ route: /^POST \/channels\/\d+\/messages$/, bucket: 'channel-messages', limit: 2, windowMs: 300 }]);
    const result = await messenger().postDigest(CHANNEL, digest(5));

    expect(result.ok).toBe(true);
    expect(fake.rest.posted.get(CHANNEL)).toHaveLength(6);
    expect(fake.rest.requests).toHaveLength(6);
  });

  it.each([
    ['the bot lost access to the channel', 'postDigest', DISCORD_ERRORS.missingAccess, /^missing access: the bot cannot see this channel \(Discord 50001\)$/],
    ['the channel was deleted', 'postDigest', DISCORD_ERRORS.unknownChannel, /^unknown channel .*\(Discord 10003\)$/],
    ['the user closed their DMs', 'sendAlert', DISCORD_ERRORS.cannotMessageUser, /^cannot send messages to this user: their DMs are closed \(Discord 50007\)$/],
  ] as const)('GIVEN %s THEN the send fails permanently with a reason that says so, at once', async (_label, method, response, reason) => {
    fake.rest.fail('POST', /^\/channels\/\d+\/messages$/, response);
    const sender = messenger();
    const result = method === 'postDigest' ? await sender.postDigest(CHANNEL, digest(1)) : await sender.sendAlert(USER, digest(1));

    expect(result).toEqual({ ok: false, permanent: true, reason: expect.stringMatching(reason) });
    expect(fake.rest.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/messages'))).toHaveLength(1);
  });

  it('GIVEN a user Discord does not know THEN opening the DM fails permanently and nothing is posted', async () => {
    fake.rest.fail('POST', /^\/users\/@me\/channels$/, { status: 400, body: { message: 'Unknown User', code: 10013 } });
    const result = await messenger().sendAlert(USER, digest(1));

    expect(result).toEqual({ ok: false, permanent: true, reason: 'unknown user (Discord 10013)' });
    expect(fake.rest.posted.size).toBe(0);
  });

  it('GIVEN Discord keeps failing with 5xx THEN the send gives up as transient after bounded retries', async () => {
    const outage = Array.from({ length: 8 }, () => ({ status: 502, body: { message: 'Bad Gateway', code: 0 } }));
    fake.rest.fail('POST', channelPosts(CHANNEL), ...outage);
    const result = await messenger(2).postDigest(CHANNEL, digest(1));

    expect(result).toEqual({ ok: false, permanent: false, reason: 'Discord answered HTTP 502' });
    // Two attempts of ours, each with discord.js's three immediate retries.
    expect(fake.rest.requests).toHaveLength(8);
  });

  it('GIVEN a rate limit longer than a minute THEN the send gives up at once with the wait, for the delivery job to retry', async () => {
    fake.rest.fail('POST', channelPosts(CHANNEL), {
      status: 429,
      headers: { 'retry-after': '3600', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 3600, global: false },
    });
    const result = await messenger().postDigest(CHANNEL, digest(1));

    expect(result).toMatchObject({ ok: false, permanent: false, reason: expect.stringContaining('rate limited') });
    // discord.js adds its 50 ms safety offset.
    expect(result.ok === false && result.retryAfterMs).toBeGreaterThanOrEqual(3_600_000);
  });

  describe('when the service stops', () => {
    const stoppable = (stop: AbortController, retryBaseMs: number) =>
      createDiscordMessenger({
        rest: createDiscordRest(fake.apiUrl, fake.token, stop.signal),
        log: createLogger('silent'),
        attempts: 5,
        retryBaseMs,
        signal: stop.signal,
      });

    it('GIVEN a send waiting a minute to retry after 5xx THEN the stop ends the wait and the send reports a passing failure', async () => {
      const stop = new AbortController();
      fake.rest.fail('POST', channelPosts(CHANNEL), ...Array.from({ length: 4 }, () => ({ status: 502, body: { message: 'Bad Gateway', code: 0 } })));
      const sending = stoppable(stop, 60_000).postDigest(CHANNEL, digest(1));
      // discord.js's own three retries, then ours would wait a minute.
      await fake.rest.waitFor(() => fake.rest.requests.length === 4, 'answered');
      const stoppedAt = performance.now();
      stop.abort();

      expect(await sending).toEqual({ ok: false, permanent: false, reason: 'Discord answered HTTP 502' });
      expect(performance.now() - stoppedAt).toBeLessThan(1000);
      expect(fake.rest.requests).toHaveLength(4);
    });

    it('GIVEN a request Discord does not answer THEN the stop gives it a short grace, then aborts it', async () => {
      const stop = new AbortController();
      fake.rest.latency = () => 60_000;
      const sending = stoppable(stop, 1).postDigest(CHANNEL, digest(1));
      await fake.rest.waitFor((request) => request.method === 'POST');
      const stoppedAt = performance.now();
      stop.abort();

      expect(await sending).toMatchObject({ ok: false, permanent: false, reason: expect.stringContaining('abort') });
      const waited = performance.now() - stoppedAt;
      expect(waited).toBeGreaterThanOrEqual(STOP_GRACE_MS - 50);
      expect(waited).toBeLessThan(STOP_GRACE_MS + 1000);
    });

    it('GIVEN a rate limit after the stop THEN the send does not wait it out', async () => {
      const stop = new AbortController();
      stop.abort();
      fake.rest.fail('POST', channelPosts(CHANNEL), {
        status: 429,
        headers: { 'retry-after': '30', 'x-ratelimit-scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: 30, global: false },
      });
      const startedAt = performance.now();
      const result = await stoppable(stop, 1).postDigest(CHANNEL, digest(1));

      expect(result).toMatchObject({ ok: false, permanent: false, retryAfterMs: expect.any(Number) });
      expect(performance.now() - startedAt).toBeLessThan(STOP_GRACE_MS);
    });
  });

  it('GIVEN a digest that failed half way THEN the retry posts only the rest: no second header', async () => {
    const sender = messenger(1);
    fake.rest.fail(
      'POST',
      channelPosts(CHANNEL),
      { status: 200, body: { id: '1', channel_id: CHANNEL } },
      ...Array.from({ length: 4 }, () => ({ status: 500 })),
    );
    const first = await sender.postDigest(CHANNEL, digest(2));
    expect(first).toMatchObject({ ok: false, permanent: false, reason: expect.stringContaining('after 1 of 3 messages') });

    const second = await sender.postDigest(CHANNEL, digest(2));
    expect(second.ok).toBe(true);
    expect(fake.rest.posted.get(CHANNEL)?.map((message) => (message.embeds as unknown[]).length)).toEqual([1, 1]);
  });

  it('GIVEN an alert with an update THEN one DM channel is opened and the DM lists new papers, then updates, each with why', async () => {
    const sender = messenger();
    const alert = {
      day: '2025-12-18',
      papers: [samplePaper(1, { isUpdate: true, version: 2, reasons: ['MoE'] }), samplePaper(2, { reasons: ['keyword: expert offloading'] })],
    };
    expect(await sender.sendAlert(USER, alert)).toMatchObject({ ok: true });
    expect(await sender.sendAlert(USER, { ...alert, day: '2025-12-19' })).toMatchObject({ ok: true });

    const opens = fake.rest.requests.filter((request) => request.path === '/users/@me/channels');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.body).toEqual({ recipient_id: USER });
    const [dm] = fake.rest.posted.get(fake.rest.dmChannels.get(USER) ?? '') ?? [];
    expect(dm?.content).toMatch(/^\*\*Your arXiv alert for 2025-12-18\*\*: 1 new paper and 1 update matching your subscriptions\./);
    const embeds = dm?.embeds as { title: string; fields: { name: string; value: string }[] }[];
    expect(embeds.map((embed) => embed.title)).toEqual([
      'Expert offloading for MoE serving, part 2',
      'Updated (v2): Expert offloading for MoE serving, part 1',
    ]);
    expect(embeds[0]?.fields).toContainEqual({ name: 'Why you get this', value: 'keyword: expert offloading' });
  });

  describe('after a crash: findDelivered looks in the channel, long after Discord forgot the nonce', () => {
    const TEN_MINUTES = 10 * 60_000;
    const alert = (day = '2025-12-18', count = 2) => ({
      day,
      papers: Array.from({ length: count }, (_, index) => samplePaper(index + 1, { reasons: ['MoE'] })),
    });
    const lookup = (kind: 'digest' | 'alert', target: string, message: DigestMessage | ReturnType<typeof alert>, progress: LedgerProgress) => ({
      kind,
      target,
      day: message.day,
      key: `${kind}:discord:${target}:${message.day}`,
      message,
      progress,
    });

    it('GIVEN an alert Discord created whose answer the process never recorded THEN it is found: the job records it and sends nothing', async () => {
      // The process posted the DM, then died before the ledger heard of it: nothing saved.
      await messenger().sendAlert(USER, alert());
      fake.rest.advance(TEN_MINUTES);
      const progress = new LedgerProgress();
      const restarted = messenger();
      const posts = () => fake.rest.requests.filter((request) => request.method === 'POST' && /^\/channels\//.test(request.path)).length;
      const before = posts();

      const found = await restarted.findDelivered?.(lookup('alert', USER, alert(), progress));
      const dm = fake.rest.dmChannels.get(USER) ?? '';
      expect(found).toEqual({ ref: fake.rest.channels.history(dm)[0]?.id });
      expect(posts()).toBe(before);
    });

    it('GIVEN a digest cut off after its second message was posted but not recorded THEN the found part is recorded and the retry posts only the rest', async () => {
      const progress = new LedgerProgress();
      progress.crashAfter = 1;
      // Header posted and recorded; then the first paper posted, and the process died before recording it.
      const dying = messenger();
      await expect(dying.postDigest(CHANNEL, digest(3), progress)).rejects.toThrow('process killed');
      progress.crashAfter = Number.POSITIVE_INFINITY;
      const header = JSON.parse(progress.state ?? '{}').ref;
      await createDiscordRest(fake.apiUrl, fake.token).post(`/channels/${CHANNEL}/messages`, { body: { ...renderDigest(digest(3))[1] } });
      fake.rest.advance(TEN_MINUTES);

      const restarted = messenger();
      expect(await restarted.findDelivered?.(lookup('digest', CHANNEL, digest(3), progress))).toBeNull();
      expect(JSON.parse(progress.state ?? '{}')).toEqual({ v: 1, ref: header, posted: 2 });
      expect(await restarted.postDigest(CHANNEL, digest(3), progress)).toEqual({ ok: true, ref: header });
      expect(fake.rest.channels.history(CHANNEL).map((message) => (message.embeds as unknown[]).length)).toEqual([0, 1, 1, 1]);
    });

    it('GIVEN nothing of the send arrived, only look-alikes (another day, an answer to /papers with the same papers) THEN it is not found', async () => {
      await messenger().sendAlert(USER, alert('2025-12-17'));
      const dm = fake.rest.dmChannels.get(USER) ?? '';
      const sent = fake.interact('interaction-dm-command', (payload) => {
        payload.channel_id = dm;
      });
      const [first] = renderAlert(alert());
      await fetch(`${fake.apiUrl}/v10/interactions/${String(sent.id)}/${String(sent.token)}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: first?.content, embeds: first?.embeds } }),
      });
      fake.rest.advance(TEN_MINUTES);

      const progress = new LedgerProgress();
      expect(await messenger().findDelivered?.(lookup('alert', USER, alert(), progress))).toBeNull();
      expect(progress.saves).toEqual([]);
    });

    it('GIVEN more than a page of newer messages in the channel THEN the digest is still found', async () => {
      await messenger().postDigest(CHANNEL, digest(3));
      const rest = createDiscordRest(fake.apiUrl, fake.token);
      for (let index = 0; index < 150; index++) await rest.post(`/channels/${CHANNEL}/messages`, { body: { content: `chatter ${index}` } });
      fake.rest.advance(TEN_MINUTES);

      const found = await messenger().findDelivered?.(lookup('digest', CHANNEL, digest(3), new LedgerProgress()));
      expect(found).toEqual({ ref: fake.rest.channels.history(CHANNEL)[0]?.id });
      expect(fake.rest.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/messages')).length).toBeGreaterThan(1);
    });
  });

  describe("with the delivery's DeliveryProgress", () => {
    const embedCounts = () => fake.rest.posted.get(CHANNEL)?.map((message) => (message.embeds as unknown[]).length);

    it('GIVEN a crash after the header and the first papers THEN a new process resumes from the saved state: one header, every paper once', async () => {
      const progress = new LedgerProgress();
      progress.crashAfter = 2;
      await expect(messenger().postDigest(CHANNEL, digest(3), progress)).rejects.toThrow('process killed');
      expect(embedCounts()).toEqual([0, 1]);

      progress.crashAfter = Number.POSITIVE_INFINITY;
      const restarted = messenger();
      const result = await restarted.postDigest(CHANNEL, digest(3), progress);

      expect(embedCounts()).toEqual([0, 1, 1, 1]);
      const headerId = JSON.parse(progress.saves[0] ?? '{}').ref;
      expect(headerId).toMatch(/^\d+$/);
      expect(result).toEqual({ ok: true, ref: headerId });
      expect(progress.saves.map((state) => JSON.parse(state))).toEqual([1, 2, 3, 4].map((posted) => ({ v: 1, ref: headerId, posted })));
    });

    it('GIVEN a digest whose every part was posted before the crash THEN the retry posts nothing and reports the header', async () => {
      const progress = new LedgerProgress();
      await messenger().postDigest(CHANNEL, digest(3), progress);
      const before = fake.rest.requests.length;

      const again = await messenger().postDigest(CHANNEL, digest(3), progress);
      expect(again).toEqual({ ok: true, ref: JSON.parse(progress.state ?? '{}').ref });
      expect(fake.rest.requests).toHaveLength(before);
    });

    it('GIVEN a transient failure half way THEN the state says how far it got, and the retry goes on from there', async () => {
      const progress = new LedgerProgress();
      fake.rest.fail(
        'POST',
        channelPosts(CHANNEL),
        { status: 200, body: { id: '1', channel_id: CHANNEL } },
        ...Array.from({ length: 4 }, () => ({ status: 500 })),
      );
      const first = await messenger(1).postDigest(CHANNEL, digest(2), progress);
      expect(first).toMatchObject({ ok: false, permanent: false });
      expect(JSON.parse(progress.state ?? '{}')).toEqual({ v: 1, ref: '1', posted: 1 });

      expect(await messenger(1).postDigest(CHANNEL, digest(2), progress)).toEqual({ ok: true, ref: '1' });
      expect(embedCounts()).toEqual([1, 1]);
    });

    it('GIVEN an alert DM in several messages THEN it resumes the same way', async () => {
      const progress = new LedgerProgress();
      progress.crashAfter = 1;
      const alert = { day: '2025-12-18', papers: Array.from({ length: 12 }, (_, index) => samplePaper(index + 1, { reasons: ['MoE'] })) };
      await expect(messenger().sendAlert(USER, alert, progress)).rejects.toThrow('process killed');
      progress.crashAfter = Number.POSITIVE_INFINITY;

      expect(await messenger().sendAlert(USER, alert, progress)).toMatchObject({ ok: true });
      const dm = fake.rest.posted.get(fake.rest.dmChannels.get(USER) ?? '') ?? [];
      expect(dm.map((message) => (message.embeds as unknown[]).length)).toEqual([10, 2]);
    });

    it('GIVEN saved progress this code did not write THEN the send starts over and the oddity is logged', async () => {
      const progress = new LedgerProgress();
      progress.state = 'thread 1234, 3 parts';
      const output = captureStream();
      const sender = createDiscordMessenger({ rest: createDiscordRest(fake.apiUrl, fake.token), log: createLogger('error', output.stream), retryBaseMs: 1 });

      expect(await sender.postDigest(CHANNEL, digest(3), progress)).toMatchObject({ ok: true });
      expect(embedCounts()).toEqual([0, 1, 1, 1]);
      expect(output.text()).toContain('discord send progress unreadable; starting the send over');
    });

    it('GIVEN no DeliveryProgress THEN progress lives only in this process: a new messenger starts the send over', async () => {
      fake.rest.fail(
        'POST',
        channelPosts(CHANNEL),
        { status: 200, body: { id: '1', channel_id: CHANNEL } },
        ...Array.from({ length: 4 }, () => ({ status: 500 })),
      );
      expect(await messenger(1).postDigest(CHANNEL, digest(2))).toMatchObject({ ok: false, permanent: false });

      expect(await messenger(1).postDigest(CHANNEL, digest(2))).toMatchObject({ ok: true });
      expect(embedCounts()).toEqual([0, 1, 1]);
    });
  });
});
