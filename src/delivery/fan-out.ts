import PQueue from 'p-queue';
import type { Messenger, Platform, SendLimits } from '../domain/delivery.ts';

export type Sleep = (ms: number) => Promise<void>;

/** For a messenger that declares no limits: slow enough for any chat platform's bot limits. */
export const DEFAULT_SEND_LIMITS: SendLimits = { perSecond: 10, concurrency: 4 };

/** Sends ahead of the queue: a send interrupted by a rate limit, then digests, then alerts. */
export const PRIORITY = { resumed: 3, digest: 2, alert: 1, retry: 0 } as const;

/**
 * One send queue per platform, at the pace its messenger declares. A send takes a slot (at most
 * `concurrency` at once: claim, send, mark) and then passes a pacing gate right before it calls the
 * platform, a sliding window of `perSecond` — so the calls themselves are paced, however long each
 * claim took, and no burst goes over the limit at a window's edge. When a platform answers "slow
 * down" (429 + Retry-After), the whole queue pauses for that long — the sends waiting behind do
 * not each run into the limit and retry on their own — and the interrupted send goes first after.
 */
export class FanOut {
  readonly #sleep: Sleep;
  readonly #queues = new Map<Platform, PlatformQueue>();

  constructor(sleep: Sleep) {
    this.#sleep = sleep;
  }

  queueFor(messenger: Messenger): PlatformQueue {
    let queue = this.#queues.get(messenger.platform);
    if (!queue) {
      queue = new PlatformQueue(messenger.limits ?? DEFAULT_SEND_LIMITS, this.#sleep);
      this.#queues.set(messenger.platform, queue);
    }
    return queue;
  }

  /** How often and how long each platform's queue paused for rate limits. */
  pauses(): { platform: Platform; pauses: number; pausedMs: number }[] {
    return [...this.#queues].map(([platform, queue]) => ({ platform, pauses: queue.pauses, pausedMs: queue.pausedMs }));
  }
}

export class PlatformQueue {
  pauses = 0;
  pausedMs = 0;
  /** Counts the pauses; a send notes it when it starts, to tell a late answer to an old request. */
  generation = 0;
  readonly #slots: PQueue;
  readonly #gate: PQueue;
  readonly #sleep: Sleep;
  #pause: Promise<void> | null = null;

  constructor(limits: SendLimits, sleep: Sleep) {
    this.#sleep = sleep;
    this.#slots = new PQueue({ concurrency: Math.max(1, Math.floor(limits.concurrency)) });
    this.#gate = new PQueue(window(limits.perSecond));
  }

  /** Runs a send (claim, call, mark) in one of the platform's slots, higher priority first. */
  run<T>(task: () => Promise<T>, priority: number): Promise<T> {
    return this.#slots.add(task, { priority });
  }

  /** Makes one call to the platform when the pace allows; use it inside `run` for every platform request. */
  paced<T>(call: () => Promise<T>): Promise<T> {
    return this.#gate.add(call);
  }

  /**
   * Pauses the queue for `ms` (sends already running finish). A rate limit answering a send that
   * started before the latest pause (`startedIn` is older) is that pause's echo: it joins the pause
   * under way, or goes on at once, rather than stacking up another one.
   */
  slowDown(ms: number, startedIn: number): Promise<void> {
    if (this.#pause) return this.#pause;
    if (startedIn !== this.generation) return Promise.resolve();
    this.#slots.pause();
    this.#gate.pause();
    this.generation++;
    this.pauses++;
    this.pausedMs += ms;
    // A stop ends the pause early (the sleep throws StoppedError): the sends waiting behind it then
    // see the stop and do not start, and the interrupted one is recorded as failed, to retry.
    this.#pause = this.#sleep(ms)
      .catch(() => undefined)
      .finally(() => {
        this.#pause = null;
        this.#gate.start();
        this.#slots.start();
      });
    return this.#pause;
  }
}

/**
 * The window is this much longer than the limit's: p-queue counts whole milliseconds of Date.now(),
 * so without it a call can land a fraction of a millisecond inside a platform's one-second window.
 */
const WINDOW_MARGIN_MS = 2;

/** `perSecond` as p-queue's window: whole sends per window, the window stretched for rates below 1/s. */
function window(perSecond: number): { intervalCap?: number; interval?: number; strict?: boolean } {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return {};
  const intervalCap = Math.max(1, Math.floor(perSecond));
  return { intervalCap, interval: Math.round((1000 * intervalCap) / perSecond) + WINDOW_MARGIN_MS, strict: true };
}
