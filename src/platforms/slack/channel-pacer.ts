export type Sleep = (ms: number) => Promise<void>;

export type ChannelPacerOptions = {
  /** Slack allows about one message per second per channel. */
  readonly intervalMs?: number;
  readonly now?: () => number;
  readonly sleep?: Sleep;
};

type Lane = { tail: Promise<unknown>; pending: number; finishedAt: number };

const SWEEP_ABOVE = 1000;

/**
 * Runs sends to one channel one at a time, each starting at least `intervalMs` after the previous
 * one finished. Measuring from the finish (not the start) means two of our requests can never
 * arrive closer together than the interval, so pacing alone never draws a 429. Different channels
 * run in parallel. A task that waits for Retry-After holds its channel, which is what Slack asks.
 */
export class ChannelPacer {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #lanes = new Map<string, Lane>();

  constructor(options: ChannelPacerOptions = {}) {
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  }

  run<T>(channel: string, task: () => Promise<T>): Promise<T> {
    if (this.#lanes.size > SWEEP_ABOVE) this.#sweep();
    const lane = this.#lanes.get(channel) ?? { tail: Promise.resolve(), pending: 0, finishedAt: Number.NEGATIVE_INFINITY };
    this.#lanes.set(channel, lane);
    lane.pending += 1;
    const result = lane.tail.then(async () => {
      const wait = lane.finishedAt + this.#intervalMs - this.#now();
      if (wait > 0) await this.#sleep(wait);
      try {
        return await task();
      } finally {
        lane.finishedAt = this.#now();
        lane.pending -= 1;
      }
    });
    lane.tail = result.catch(() => undefined);
    return result;
  }

  /** Forgets idle channels, so a long-running process does not keep one entry per person ever messaged. */
  #sweep(): void {
    const now = this.#now();
    for (const [channel, lane] of this.#lanes) {
      if (lane.pending === 0 && now - lane.finishedAt >= this.#intervalMs) this.#lanes.delete(channel);
    }
  }
}
