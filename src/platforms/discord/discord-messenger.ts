import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { type REST, Routes } from 'discord.js';
import type { AlertMessage, DeliveryLookup, DeliveryProgress, DigestMessage, Messenger, SendLimits, SendResult } from '../../domain/delivery.ts';
import type { Logger } from '../../log.ts';
import { classifySendError } from './classify-send-error.ts';
import type { DiscordMessage } from './discord-message.ts';
import { findPosted } from './find-posted.ts';
import { renderAlert, renderDigest } from './render-delivery.ts';
import { readState, writeState } from './send-state.ts';

type Failure = Extract<SendResult, { ok: false }>;

export type DiscordMessengerOptions = {
  /** The bot's REST client; its queue keeps to Discord's per-route buckets and the global limit. */
  readonly rest: REST;
  readonly log: Logger;
  /** Our own attempts per message for transient faults, on top of discord.js's immediate retries. */
  readonly attempts?: number;
  readonly retryBaseMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Aborted when the service stops: a send does not wait to retry, it reports the failure (retried later). */
  readonly signal?: AbortSignal;
};

/**
 * The pace the delivery job keeps for Discord. The global limit is 50 requests/s per bot and an
 * alert takes two (open the DM, post it; the DM channel is cached afterwards), so 20 sends/s keeps
 * a margin. discord.js's queue still keeps each route's bucket and waits out any 429.
 */
export const DISCORD_SEND_LIMITS: SendLimits = { perSecond: 20, concurrency: 8 };

/** A send's `index`-th message's nonce: the same message always gets the same one (Discord allows 25 characters). */
export function messageNonce(key: string, index: number): string {
  return createHash('sha256').update(`${key}#${index}`).digest('base64url').slice(0, 25);
}

/**
 * The Messenger the delivery job uses for Discord: channel digests and alert DMs. Each message of a
 * send is retried on transient faults with backoff (bounded). A send that gives up, or a process
 * that dies, leaves its progress behind: in the delivery's DeliveryProgress when the job passes one
 * (the retry goes on after a restart), else in memory (the retry goes on in this process). Either
 * way the header is not posted twice. Rate limits are discord.js's: it waits out buckets and 429s
 * (Retry-After) itself. A failing DeliveryProgress throws: the ledger's fault, not Discord's.
 * Every message carries a nonce with `enforce_nonce`, so a quick retry of a post Discord carried
 * out returns that message; after a crash (a claim expires after minutes, when Discord has
 * forgotten the nonce) `findDelivered` looks for the messages in the channel's history.
 */
export function createDiscordMessenger(options: DiscordMessengerOptions): Messenger {
  const { rest, log } = options;
  const attempts = options.attempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const signal = options.signal;
  const sleep = options.sleep ?? ((ms: number) => delay(ms, undefined, { signal }).catch(() => undefined));
  const dmChannels = new Map<string, string>();
  /** `channel day` → the saved progress of a send that gave up on a transient fault. */
  const remembered = new Map<string, string>();

  /** One request, retried on transient faults with backoff; a permanent fault or a long rate limit ends it at once. */
  async function withRetries<T>(context: Record<string, string>, request: () => Promise<T>): Promise<{ ok: true; value: T } | Failure> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await request() };
      } catch (error) {
        const failure = classifySendError(error);
        if (failure.permanent || failure.retryAfterMs !== undefined || attempt >= attempts || signal?.aborted) return failure;
        log.warn({ ...context, attempt, reason: failure.reason }, 'discord send failed; retrying');
        await sleep(retryBaseMs * 2 ** (attempt - 1));
        if (signal?.aborted) return failure;
      }
    }
  }

  async function post(channelId: string, message: DiscordMessage, nonce: string): Promise<SendResult> {
    // enforce_nonce: a retry of a request Discord carried out but whose answer we lost (a timeout,
    // a 5xx from a proxy, discord.js's own retry) returns the message created then, not a second one.
    const body = { ...message, nonce, enforce_nonce: true };
    const posted = await withRetries({ channelId }, () => rest.post(Routes.channelMessages(channelId), { body }) as Promise<{ id: string }>);
    return posted.ok ? { ok: true, ref: posted.value.id } : posted;
  }

  /**
   * Posts the messages of one send that are not posted yet. Progress (the first message's id and
   * how many went out) is loaded before and saved after each message: durably through the
   * delivery's DeliveryProgress when given, else in this process's memory.
   */
  async function postAll(channelId: string, key: string, messages: readonly DiscordMessage[], progress: DeliveryProgress): Promise<SendResult> {
    const state = readState(await progress.load(), log);
    let ref = state.ref;
    for (let index = state.posted; index < messages.length; index++) {
      const result = await post(channelId, messages[index] as DiscordMessage, messageNonce(key, index));
      if (!result.ok) {
        log.warn({ channelId, posted: index, of: messages.length, permanent: result.permanent, reason: result.reason }, 'discord send gave up');
        return { ...result, reason: index > 0 ? `${result.reason} (after ${index} of ${messages.length} messages)` : result.reason };
      }
      ref ??= result.ref;
      await progress.save(writeState({ ref, posted: index + 1 }));
    }
    return { ok: true, ref };
  }

  /** Progress kept in memory for callers without a DeliveryProgress: forgotten once the send ends for good. */
  function inMemory(key: string): DeliveryProgress & { forget(): void } {
    return {
      load: async () => remembered.get(key) ?? null,
      save: async (state) => {
        remembered.set(key, state);
      },
      forget: () => remembered.delete(key),
    };
  }

  async function send(channelId: string, key: string, messages: readonly DiscordMessage[], progress?: DeliveryProgress): Promise<SendResult> {
    if (progress) return postAll(channelId, key, messages, progress);
    const memory = inMemory(key);
    const result = await postAll(channelId, key, messages, memory);
    // Only a transient failure is retried; success or a permanent failure ends this send.
    if (result.ok || result.permanent) memory.forget();
    return result;
  }

  async function openDm(userId: string): Promise<{ ok: true; value: string } | Failure> {
    const known = dmChannels.get(userId);
    if (known) return { ok: true, value: known };
    const opened = await withRetries({ userId }, () => rest.post(Routes.userChannels(), { body: { recipient_id: userId } }) as Promise<{ id: string }>);
    if (!opened.ok) return opened;
    dmChannels.set(userId, opened.value.id);
    return { ok: true, value: opened.value.id };
  }

  let botId: Promise<string> | null = null;
  /** The bot's user id (GET /users/@me, once): whose messages in a channel are ours. */
  function me(): Promise<string> {
    botId ??= (rest.get(Routes.user()) as Promise<{ id: string }>).then((user) => user.id);
    botId.catch(() => {
      botId = null;
    });
    return botId;
  }

  /** A delivery the ledger could not confirm: did it arrive (complete)? Throws when Discord cannot be asked; the job then sends again. */
  async function findDelivered(lookup: DeliveryLookup): Promise<{ ref?: string } | null> {
    if (!lookup.message || !lookup.progress) return null;
    let channelId = lookup.target;
    if (lookup.kind === 'alert') {
      const dm = await openDm(lookup.target);
      if (!dm.ok) throw new Error(`discord DM channel could not be opened: ${dm.reason}`);
      channelId = dm.value;
    }
    const messages = lookup.kind === 'digest' ? renderDigest(lookup.message as DigestMessage) : renderAlert(lookup.message);
    return findPosted({ rest, log, botId: await me(), channelId, day: lookup.day, messages, progress: lookup.progress });
  }

  return {
    platform: 'discord',
    limits: DISCORD_SEND_LIMITS,
    findDelivered,
    postDigest(channelId: string, digest: DigestMessage, progress?: DeliveryProgress) {
      return send(channelId, `digest ${channelId} ${digest.day}`, renderDigest(digest), progress);
    },
    async sendAlert(userId: string, alert: AlertMessage, progress?: DeliveryProgress) {
      const dm = await openDm(userId);
      if (!dm.ok) {
        log.warn({ userId, permanent: dm.permanent, reason: dm.reason }, 'discord DM channel could not be opened');
        return dm;
      }
      return send(dm.value, `alert ${dm.value} ${alert.day}`, renderAlert(alert), progress);
    },
  };
}
