import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { AlertMessage, DeliveryLookup, DeliveryProgress, DigestMessage, Messenger, SendLimits, SendResult } from '../../domain/delivery.ts';
import type { Logger } from '../../log.ts';
import { ChannelPacer, type Sleep } from './channel-pacer.ts';
import { classifySlackError, type SlackFailure } from './classify-slack-error.ts';
import { deliveryMetadata, findDeliveredParts } from './delivery-metadata.ts';
import { renderAlert } from './render-alert.ts';
import { renderDigest } from './render-digest.ts';
import type { SlackMessage } from './slack-message.ts';
import { sleepUnlessStopped } from './stoppable.ts';

export type SlackMessengerOptions = {
  /** A client that throws on 429 instead of waiting (see `createMessengerClient`): we pace and retry ourselves. */
  readonly client: webApi.WebClient;
  readonly log: Logger;
  readonly pacer?: ChannelPacer;
  readonly sleep?: Sleep;
  /** Tries per message before giving up on a transient fault. */
  readonly maxAttempts?: number;
  /** A Retry-After longer than this is handed back to the caller instead of waited out here. */
  readonly maxWaitMs?: number;
  readonly backoffBaseMs?: number;
  /**
   * How long to hold off after chat.postMessage's HTTP 200 `rate_limited` ("the application has
   * posted too many messages"), which comes without Retry-After. Slack's limits are per minute.
   */
  readonly rateLimitedWaitMs?: number;
  /** The stop signal: waits end at once and the send is handed back as not done yet (the ledger retries it). */
  readonly signal?: AbortSignal;
};

type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: SlackFailure };

/** How far a digest or alert got: the first message's ts (the digest's thread) and how many messages went out. */
type Progress = { ts: string | null; sent: number };

/** Where one delivery's Progress is kept; `load` answers null and `save` false when the store failed (logged). */
type ProgressSlot = {
  /** The delivery's identity, carried by each part in its metadata. */
  readonly key: string;
  readonly context: Record<string, unknown>;
  load(): Promise<Progress | null>;
  save(state: Progress): Promise<boolean>;
  forget(): void;
};

const ProgressSchema = z.object({ ts: z.string().nullable(), sent: z.number().int().min(0) });

/** The saved state back; null when it is not one of ours (a bug, or a hand-edited ledger). */
function readProgress(stored: string | null): Progress | null {
  if (stored === null) return null;
  try {
    const parsed = ProgressSchema.safeParse(JSON.parse(stored));
    return parsed.success ? { ...parsed.data } : null;
  } catch {
    return null;
  }
}

/**
 * The pace the delivery job keeps for Slack. An alert to someone this process has not written to
 * yet starts with conversations.open, a Tier 3 method (50+ calls a minute, short bursts welcome);
 * chat.postMessage is paced per channel (about 1/s) by the ChannelPacer below, and Slack's
 * workspace-wide cap on it is unpublished. One send a second stays under both.
 */
export const SLACK_SEND_LIMITS: SendLimits = { perSecond: 1, concurrency: 4 };

/**
 * The delivery job's way into Slack. A digest is a header message in the channel with the papers
 * as replies in its thread; an alert is a DM. Sends are paced per channel (about 1/s), transient
 * faults are retried (Retry-After honoured, bounded), and if a send gives up half way the next
 * call for the same channel and day resumes after the last message that got through: from the
 * caller's DeliveryProgress when it passes one (so a restart after a crash does not post the
 * header again), else from this process's memory. Every message carries the delivery's key as
 * message metadata, so `findDelivered` can tell, after a crash, what Slack already has.
 */
export function createSlackMessenger(options: SlackMessengerOptions): Messenger {
  const { client } = options;
  const log = options.log.child({ module: 'slack-messenger' });
  const pacer = options.pacer ?? new ChannelPacer();
  const { signal } = options;
  const sleep = options.sleep ?? ((ms: number) => sleepUnlessStopped(ms, signal));
  const maxAttempts = options.maxAttempts ?? 5;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const rateLimitedWaitMs = options.rateLimitedWaitMs ?? 30_000;
  const memory = new Map<string, Progress>();
  const directChannels = new Map<string, string>();
  const found = new Map<string, Progress & { ts: string }>();

  async function attempt<T>(call: () => Promise<T>, context: Record<string, unknown>): Promise<Attempt<T>> {
    for (let tries = 1; ; tries++) {
      try {
        return { ok: true, value: await call() };
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.permanent) return { ok: false, failure };
        if (failure.code === 'unexpected') log.error({ err: error, ...context }, 'slack call failed unexpectedly');
        const waitMs = failure.retryAfterMs ?? (failure.code === 'rate_limited' ? rateLimitedWaitMs : backoffBaseMs * 2 ** (tries - 1));
        if (tries >= maxAttempts || waitMs > maxWaitMs || signal?.aborted) return { ok: false, failure: { ...failure, retryAfterMs: waitMs } };
        log.debug({ ...context, code: failure.code, attempt: tries, waitMs }, 'slack call retrying');
        await sleep(waitMs);
        if (signal?.aborted) return { ok: false, failure: { ...failure, reason: `${failure.reason}; not retried: the bot is stopping` } };
      }
    }
  }

  function post(channel: string, message: SlackMessage, metadata: ReturnType<typeof deliveryMetadata>, threadTs?: string): Promise<Attempt<string>> {
    return pacer.run(channel, () =>
      attempt(
        async () => {
          const answer = await client.chat.postMessage({
            channel,
            text: message.text,
            blocks: [...message.blocks],
            ...(threadTs ? { thread_ts: threadTs } : {}),
            // A digest of twenty arXiv links would otherwise unfold into twenty previews.
            unfurl_links: false,
            unfurl_media: false,
            metadata,
          });
          return answer.ts ?? '';
        },
        { channel, threadTs },
      ),
    );
  }

  async function openDirectChannel(userId: string): Promise<Attempt<string>> {
    const known = directChannels.get(userId);
    if (known) return { ok: true, value: known };
    const opened = await attempt(
      async () => {
        const answer = await client.conversations.open({ users: userId, return_im: false });
        const id = answer.channel?.id;
        if (!id) throw new Error('conversations.open returned no channel id');
        return id;
      },
      { userId },
    );
    if (opened.ok) directChannels.set(userId, opened.value);
    return opened;
  }

  /**
   * Posts `messages` in order (all but the first into the first one's thread when `threaded`),
   * skipping those the saved progress says went out already, and saving progress after each one.
   */
  async function deliver(slot: ProgressSlot, channel: string, messages: readonly SlackMessage[], threaded: boolean): Promise<SendResult> {
    const state = await slot.load();
    if (!state) return { ok: false, permanent: false, reason: 'could not read how far the delivery got' };
    adoptFound(slot.key, state);
    while (state.sent < messages.length) {
      const message = messages[state.sent] as SlackMessage;
      const only = message.paperIds?.length === 1 ? message.paperIds[0] : undefined;
      const metadata = deliveryMetadata(slot.key, state.sent, messages.length, only);
      const posted = await post(channel, message, metadata, threaded && state.ts ? state.ts : undefined);
      if (!posted.ok) {
        if (posted.failure.permanent) slot.forget();
        return failed(posted.failure, { ...slot.context, channel, sent: state.sent, of: messages.length });
      }
      state.ts ??= posted.value;
      state.sent += 1;
      const saved = await slot.save(state);
      if (!saved) return { ok: false, permanent: false, reason: 'could not save how far the delivery got; a retry may post its last message again' };
    }
    slot.forget();
    return { ok: true, ref: `${channel}:${state.ts ?? ''}` };
  }

  /**
   * Parts that `findDelivered` saw in Slack though the ledger's progress did not record them (the
   * crash came between Slack taking them and the save): the retry that follows starts after them.
   */
  function adoptFound(key: string, state: Progress): void {
    const seen = found.get(key);
    found.delete(key);
    if (!seen || seen.sent <= state.sent) return;
    log.info({ delivery: key, recorded: state.sent, found: seen.sent }, 'slack delivery parts found in history; not posting them again');
    state.sent = seen.sent;
    state.ts = seen.ts;
  }

  /**
   * The ledger's durable progress when the caller gave one, else this process's memory under
   * `key`. The slot's key is the ledger's delivery key (`alert:slack:U1:2025-12-18`), tagged on
   * every part as message metadata.
   */
  function progressSlot(key: string, progress: DeliveryProgress | undefined): ProgressSlot {
    const context = { delivery: progress?.key ?? key };
    if (!progress) {
      return {
        key,
        context,
        async load() {
          const state = memory.get(key) ?? { ts: null, sent: 0 };
          memory.set(key, state);
          return state;
        },
        async save() {
          return true;
        },
        forget() {
          memory.delete(key);
        },
      };
    }
    return {
      key: progress.key ?? key,
      context,
      async load() {
        let stored: string | null;
        try {
          stored = await progress.load();
        } catch (error) {
          log.error({ err: error, ...context }, 'slack delivery progress not readable');
          return null;
        }
        const state = readProgress(stored);
        if (stored !== null && !state) log.error({ ...context, stored: stored.slice(0, 200) }, 'slack delivery progress unreadable; starting over');
        return state ?? { ts: null, sent: 0 };
      },
      async save(state) {
        try {
          await progress.save(JSON.stringify(state));
          return true;
        } catch (error) {
          log.error({ err: error, ...context, sent: state.sent }, 'slack delivery progress not saved');
          return false;
        }
      },
      forget() {
        // The ledger keeps it: a delivery retried after it finished finds every part sent.
      },
    };
  }

  function failed(failure: SlackFailure, context: Record<string, unknown>): SendResult {
    const fields = { ...context, code: failure.code, reason: failure.reason };
    if (failure.permanent) {
      log.warn(
        failure.code === 'not_in_channel' ? { ...fields, hint: 'a channel member can run /invite @lmsys-papers there' } : fields,
        'slack send failed for good',
      );
      return { ok: false, permanent: true, reason: failure.reason };
    }
    log.warn({ ...fields, retryAfterMs: failure.retryAfterMs }, 'slack send gave up for now');
    return { ok: false, permanent: false, reason: failure.reason, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) };
  }

  return {
    platform: 'slack',
    limits: SLACK_SEND_LIMITS,
    async postDigest(channelId: string, digest: DigestMessage, progress?: DeliveryProgress) {
      const { header, thread } = renderDigest(digest);
      return deliver(progressSlot(`digest:slack:${channelId}:${digest.day}`, progress), channelId, [header, ...thread], true);
    },
    async sendAlert(userId: string, alert: AlertMessage, progress?: DeliveryProgress) {
      if (alert.papers.length === 0) return { ok: true };
      const channel = await openDirectChannel(userId);
      if (!channel.ok) return failed(channel.failure, { userId });
      return deliver(progressSlot(`alert:slack:${userId}:${alert.day}`, progress), channel.value, renderAlert(alert), false);
    },
    /**
     * Whether a delivery the ledger could not confirm is already in Slack, every part of it: found
     * by its metadata in the channel's (digest) or DM's (alert) history. Parts found short of the
     * whole are remembered, so the send that follows posts only the rest.
     */
    async findDelivered(lookup: DeliveryLookup) {
      const channel = lookup.kind === 'digest' ? ({ ok: true, value: lookup.target } as const) : await openDirectChannel(lookup.target);
      // A person Slack no longer lets us write to: the send that follows says why, for good.
      if (!channel.ok) return null;
      const parts = await findDeliveredParts(client, channel.value, lookup.key, lookup.day, lookup.kind === 'digest').catch((error: unknown) => {
        const failure = classifySlackError(error);
        const needed = (error as { data?: { needed?: string } }).data?.needed;
        throw new Error(`could not look through Slack history for ${lookup.key}: ${failure.reason}${needed ? ` (needs ${needed})` : ''}`, { cause: error });
      });
      if (!parts) return null;
      const ref = `${channel.value}:${parts.ts}`;
      if (parts.sent >= parts.parts) return { ref };
      found.set(lookup.key, { ts: parts.ts, sent: parts.sent });
      return null;
    },
  };
}
