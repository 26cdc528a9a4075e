import type { webApi } from '@slack/bolt';
import type { AlertMessage, DigestMessage, Messenger, SendResult } from '../../domain/delivery.ts';
import type { Logger } from '../../log.ts';
import { ChannelPacer, type Sleep } from './channel-pacer.ts';
import { classifySlackError, type SlackFailure } from './classify-slack-error.ts';
import { renderAlert } from './render-alert.ts';
import { renderDigest } from './render-digest.ts';
import type { SlackMessage } from './slack-message.ts';

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
};

type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: SlackFailure };

/** How far a digest or alert got, so a retry in this process continues it instead of repeating it. */
type Progress = { ts: string | null; channel: string | null; sent: number };

/**
 * The delivery job's way into Slack. A digest is a header message in the channel with the papers
 * as replies in its thread; an alert is a DM. Sends are paced per channel (about 1/s), transient
 * faults are retried (Retry-After honoured, bounded), and if a send gives up half way the next
 * call for the same channel and day resumes after the last message that got through.
 */
export function createSlackMessenger(options: SlackMessengerOptions): Messenger {
  const { client } = options;
  const log = options.log.child({ module: 'slack-messenger' });
  const pacer = options.pacer ?? new ChannelPacer();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const maxAttempts = options.maxAttempts ?? 5;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const progress = new Map<string, Progress>();
  const directChannels = new Map<string, string>();

  async function attempt<T>(call: () => Promise<T>, context: Record<string, unknown>): Promise<Attempt<T>> {
    for (let tries = 1; ; tries++) {
      try {
        return { ok: true, value: await call() };
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.permanent) return { ok: false, failure };
        if (failure.code === 'unexpected') log.error({ err: error, ...context }, 'slack call failed unexpectedly');
        const waitMs = failure.retryAfterMs ?? backoffBaseMs * 2 ** (tries - 1);
        if (tries >= maxAttempts || waitMs > maxWaitMs) return { ok: false, failure: { ...failure, retryAfterMs: waitMs } };
        log.debug({ ...context, code: failure.code, attempt: tries, waitMs }, 'slack call retrying');
        await sleep(waitMs);
      }
    }
  }

  function post(channel: string, message: SlackMessage, threadTs?: string): Promise<Attempt<string>> {
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

  /** Posts `messages` in order (all but the first into the first one's thread when `threaded`). */
  async function deliver(key: string, channel: string, messages: readonly SlackMessage[], threaded: boolean): Promise<SendResult> {
    const state = progress.get(key) ?? { ts: null, channel, sent: 0 };
    progress.set(key, state);
    while (state.sent < messages.length) {
      const message = messages[state.sent] as SlackMessage;
      const posted = await post(channel, message, threaded && state.ts ? state.ts : undefined);
      if (!posted.ok) {
        if (posted.failure.permanent) progress.delete(key);
        return failed(posted.failure, { key, channel, sent: state.sent, of: messages.length });
      }
      state.ts ??= posted.value;
      state.sent += 1;
    }
    progress.delete(key);
    return { ok: true, ref: `${channel}:${state.ts ?? ''}` };
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
    async postDigest(channelId: string, digest: DigestMessage) {
      const { header, thread } = renderDigest(digest);
      return deliver(`digest ${channelId} ${digest.day}`, channelId, [header, ...thread], true);
    },
    async sendAlert(userId: string, alert: AlertMessage) {
      if (alert.papers.length === 0) return { ok: true };
      const channel = await openDirectChannel(userId);
      if (!channel.ok) return failed(channel.failure, { userId });
      return deliver(`alert ${userId} ${alert.day}`, channel.value, renderAlert(alert), false);
    },
  };
}
