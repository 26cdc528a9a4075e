import type { PaperView } from './reply.ts';

export type Platform = 'slack' | 'discord' | 'console' | 'email';

/** What the daily run delivers: a channel's digest, or one person's alert. */
export type DeliveryKind = 'digest' | 'alert';

/** One channel's digest for one announcement day; papers already filtered by the channel's tags. */
export type DigestMessage = {
  readonly day: string;
  readonly papers: readonly PaperView[];
  /** Tag → number of papers, largest first, for the header line ("12 papers · serving 5 · MoE 3"). */
  readonly tagCounts: readonly (readonly [string, number])[];
};

/**
 * One person's alert for one announcement day: their matching papers, each with `reasons`, and —
 * for people who asked for them — papers "picked for you" by their own model, each with `pick`.
 * A day can bring picks only (no paper matched a subscription).
 */
export type AlertMessage = {
  readonly day: string;
  readonly papers: readonly PaperView[];
  readonly picks?: readonly PaperView[];
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
  /**
   * The delivery's stable identity (`alert:slack:U123:2025-12-18`). A messenger that can tag what
   * it posts with it (Discord's message nonce, Slack's message metadata) can find the message again
   * in `findDelivered` after a crash.
   */
  readonly key?: string;
  load(): Promise<string | null>;
  save(state: string): Promise<void>;
};

/**
 * How fast the delivery job may send through one messenger. The fan-out keeps one queue per
 * platform at this pace, so thousands of alerts do not run into the platform's rate limits.
 */
export type SendLimits = {
  /** Sends (one digest or one alert, however many messages it takes) started per second, at most. */
  readonly perSecond: number;
  /** Sends in flight at once. */
  readonly concurrency: number;
};

/** What `findDelivered` is asked about: the delivery the ledger could not confirm. */
export type DeliveryLookup = {
  readonly kind: DeliveryKind;
  readonly target: string;
  readonly day: string;
  readonly key: string;
  /**
   * What the delivery carries (as rebuilt for this retry): a platform that keeps no metadata with
   * a message (Discord) recognises its messages by their content.
   */
  readonly message?: DigestMessage | AlertMessage;
  /**
   * The delivery's saved progress. A messenger that sends in parts and finds only some of them may
   * record them here, so the send that follows goes on after them instead of posting them again.
   */
  readonly progress?: DeliveryProgress;
};

/** What the delivery job needs from a platform; each adapter implements it, tests use recording fakes. */
export type Messenger = {
  readonly platform: Platform;
  /** The pace this platform tolerates; the delivery job uses a conservative default when absent. */
  readonly limits?: SendLimits;
  postDigest(channelId: string, digest: DigestMessage, progress?: DeliveryProgress): Promise<SendResult>;
  sendAlert(userId: string, alert: AlertMessage, progress?: DeliveryProgress): Promise<SendResult>;
  /**
   * Reconciliation after a crash: a process can die after the platform accepted a send and before
   * the ledger marked it sent. Before sending such a delivery again, the job asks here whether it
   * already arrived (complete), using the key given in `DeliveryProgress`. Without this hook such
   * a delivery is sent a second time (at most the sends in flight at the crash).
   */
  findDelivered?(lookup: DeliveryLookup): Promise<{ readonly ref?: string } | null>;
};
