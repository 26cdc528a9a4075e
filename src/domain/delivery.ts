import type { PaperView } from './reply.ts';

export type Platform = 'slack' | 'discord' | 'console' | 'email';

/** One channel's digest for one announcement day; papers already filtered by the channel's tags. */
export type DigestMessage = {
  readonly day: string;
  readonly papers: readonly PaperView[];
  /** Tag → number of papers, largest first, for the header line ("12 papers · serving 5 · MoE 3"). */
  readonly tagCounts: readonly (readonly [string, number])[];
};

/** One person's alert for one announcement day: their matching papers, each with `reasons`. */
export type AlertMessage = {
  readonly day: string;
  readonly papers: readonly PaperView[];
};

/**
 * How a send ended. `permanent` failures (channel gone, DMs closed, user deactivated) are recorded
 * and not retried; others are retried with backoff, after `retryAfterMs` when the platform said so.
 */
export type SendResult =
  | { readonly ok: true; readonly ref?: string }
  | { readonly ok: false; readonly permanent: boolean; readonly reason: string; readonly retryAfterMs?: number };

/**
 * Durable memory of one delivery in progress, kept by the delivery ledger with the delivery's row.
 * A messenger that sends in several parts (a digest header, then its thread) saves an opaque state
 * after each part (e.g. the thread id and how many parts went out) and loads it before starting, so
 * a delivery retried after a crash continues where it stopped instead of posting the header again.
 */
export type DeliveryProgress = {
  load(): Promise<string | null>;
  save(state: string): Promise<void>;
};

/** What the delivery job needs from a platform; each adapter implements it, tests use recording fakes. */
export type Messenger = {
  readonly platform: Platform;
  postDigest(channelId: string, digest: DigestMessage, progress?: DeliveryProgress): Promise<SendResult>;
  sendAlert(userId: string, alert: AlertMessage, progress?: DeliveryProgress): Promise<SendResult>;
};
