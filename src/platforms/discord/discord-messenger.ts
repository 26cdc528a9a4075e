import { setTimeout as delay } from 'node:timers/promises';
import { type REST, Routes } from 'discord.js';
import type { AlertMessage, DigestMessage, Messenger, SendResult } from '../../domain/delivery.ts';
import type { Logger } from '../../log.ts';
import { classifySendError } from './classify-send-error.ts';
import type { DiscordMessage } from './discord-message.ts';
import { renderAlert, renderDigest } from './render-delivery.ts';

type Failure = Extract<SendResult, { ok: false }>;

export type DiscordMessengerOptions = {
  /** The bot's REST client; its queue keeps to Discord's per-route buckets and the global limit. */
  readonly rest: REST;
  readonly log: Logger;
  /** Our own attempts per message for transient faults, on top of discord.js's immediate retries. */
  readonly attempts?: number;
  readonly retryBaseMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
};

/**
 * The Messenger the delivery job uses for Discord: channel digests and alert DMs. Each message of a
 * send is retried on transient faults with backoff (bounded); a send that gives up remembers how far
 * it got, so the delivery job's retry in this process goes on from there instead of posting the
 * header twice. Rate limits are discord.js's: it waits out buckets and 429s (Retry-After) itself.
 */
export function createDiscordMessenger(options: DiscordMessengerOptions): Messenger {
  const { rest, log } = options;
  const attempts = options.attempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const dmChannels = new Map<string, string>();
  /** `channel day` → messages of that send already posted. */
  const progress = new Map<string, number>();

  /** One request, retried on transient faults with backoff; a permanent fault or a long rate limit ends it at once. */
  async function withRetries<T>(context: Record<string, string>, request: () => Promise<T>): Promise<{ ok: true; value: T } | Failure> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await request() };
      } catch (error) {
        const failure = classifySendError(error);
        if (failure.permanent || failure.retryAfterMs !== undefined || attempt >= attempts) return failure;
        log.warn({ ...context, attempt, reason: failure.reason }, 'discord send failed; retrying');
        await sleep(retryBaseMs * 2 ** (attempt - 1));
      }
    }
  }

  async function post(channelId: string, message: DiscordMessage): Promise<SendResult> {
    const posted = await withRetries({ channelId }, () => rest.post(Routes.channelMessages(channelId), { body: message }) as Promise<{ id: string }>);
    return posted.ok ? { ok: true, ref: posted.value.id } : posted;
  }

  async function postAll(channelId: string, key: string, messages: readonly DiscordMessage[]): Promise<SendResult> {
    const done = progress.get(key) ?? 0;
    let first: string | undefined;
    for (let index = done; index < messages.length; index++) {
      const result = await post(channelId, messages[index] as DiscordMessage);
      if (!result.ok) {
        // Only a transient failure is retried; a permanent one ends this send for good.
        if (result.permanent) progress.delete(key);
        else progress.set(key, index);
        log.warn({ channelId, posted: index, of: messages.length, permanent: result.permanent, reason: result.reason }, 'discord send gave up');
        return { ...result, reason: index > 0 ? `${result.reason} (after ${index} of ${messages.length} messages)` : result.reason };
      }
      first ??= result.ref;
    }
    progress.delete(key);
    return { ok: true, ref: first };
  }

  async function openDm(userId: string): Promise<{ ok: true; value: string } | Failure> {
    const known = dmChannels.get(userId);
    if (known) return { ok: true, value: known };
    const opened = await withRetries({ userId }, () => rest.post(Routes.userChannels(), { body: { recipient_id: userId } }) as Promise<{ id: string }>);
    if (!opened.ok) return opened;
    dmChannels.set(userId, opened.value.id);
    return { ok: true, value: opened.value.id };
  }

  return {
    platform: 'discord',
    postDigest(channelId: string, digest: DigestMessage) {
      return postAll(channelId, `${channelId} ${digest.day}`, renderDigest(digest));
    },
    async sendAlert(userId: string, alert: AlertMessage) {
      const dm = await openDm(userId);
      if (!dm.ok) {
        log.warn({ userId, permanent: dm.permanent, reason: dm.reason }, 'discord DM channel could not be opened');
        return dm;
      }
      return postAll(dm.value, `${dm.value} ${alert.day}`, renderAlert(alert));
    },
  };
}
