import { EventEmitter, once } from 'node:events';
import type {
  AlertMessage,
  DeliveryKind,
  DeliveryLookup,
  DeliveryProgress,
  DigestMessage,
  Messenger,
  Platform,
  SendLimits,
  SendResult,
} from '../../src/domain/delivery.ts';

/** One message the fake platform accepted. */
export type Delivered = {
  readonly kind: DeliveryKind;
  readonly target: string;
  readonly day: string;
  readonly key: string | null;
  readonly paperIds: readonly string[];
  readonly message: DigestMessage | AlertMessage;
};

/** One call a messenger made, whatever came of it. */
export type Call = { readonly kind: DeliveryKind; readonly target: string; readonly answer: SendResult['ok'] | 'hung'; readonly duringPause: boolean };

export type MessengerOptions = {
  /** Default: no pace, 4 at once. */
  readonly limits?: SendLimits;
  /** Whether the messenger can find a send again after a crash (as Discord's nonce or Slack's metadata allow). */
  readonly canReconcile?: boolean;
};

/**
 * A chat platform that records what reached it, shared by the "processes" of a test: each
 * `messenger()` is one process's adapter for it. Faults are scripted: a target that always fails
 * (permanently or not), a storm of rate-limit answers, and a kill — after the platform accepted
 * the n-th message, that process's adapter never answers again (its sends hang, as if the process
 * died), which leaves the ledger exactly where a real kill would.
 */
export class FakePlatform {
  readonly delivered: Delivered[] = [];
  readonly calls: Call[] = [];
  /** Set by a test's injected sleep while a fan-out queue is paused, to see whether anything was sent meanwhile. */
  paused = false;
  readonly #failing = new Map<string, SendResult>();
  #rateLimited = 0;
  #retryAfterMs = 1000;
  readonly #events = new EventEmitter();
  readonly platform: Platform;

  constructor(platform: Platform) {
    this.platform = platform;
  }

  /** Every send to `target` fails with this result. */
  fail(target: string, result: Extract<SendResult, { ok: false }>): void {
    this.#failing.set(target, result);
  }

  /** Sends to `target` go through again. */
  recover(target: string): void {
    this.#failing.delete(target);
  }

  /** The next `count` calls (to anyone) are turned away with 429 + Retry-After. */
  rateLimit(count: number, retryAfterMs: number): void {
    this.#rateLimited = count;
    this.#retryAfterMs = retryAfterMs;
  }

  /** Messages received by `target`, in order. */
  to(target: string): Delivered[] {
    return this.delivered.filter((message) => message.target === target);
  }

  /** Resolves once `count` messages have been accepted in total. */
  async waitForDelivered(count: number): Promise<void> {
    while (this.delivered.length < count) await once(this.#events, 'delivered');
  }

  messenger(options: MessengerOptions = {}): FakeMessenger {
    return new FakeMessenger(this, options);
  }

  /** The platform side of one send; null = the caller's process is dead, it never hears back. */
  receive(kind: DeliveryKind, target: string, message: DigestMessage | AlertMessage, key: string | null): SendResult {
    const failing = this.#failing.get(target);
    if (failing) {
      this.calls.push({ kind, target, answer: false, duringPause: this.paused });
      return failing;
    }
    if (this.#rateLimited > 0) {
      this.#rateLimited--;
      this.calls.push({ kind, target, answer: false, duringPause: this.paused });
      return { ok: false, permanent: false, reason: 'ratelimited', retryAfterMs: this.#retryAfterMs };
    }
    this.calls.push({ kind, target, answer: true, duringPause: this.paused });
    const day = message.day;
    this.delivered.push({ kind, target, day, key, paperIds: message.papers.map((paper) => paper.id), message });
    this.#events.emit('delivered');
    return { ok: true, ref: `${target}:${this.delivered.length}` };
  }

  find(key: string): Delivered | undefined {
    return this.delivered.find((message) => message.key === key);
  }
}

/** One process's Messenger for a FakePlatform; `killAfter` makes that process die mid-run. */
export class FakeMessenger implements Messenger {
  readonly platform: Platform;
  readonly limits: SendLimits;
  readonly findDelivered?: Messenger['findDelivered'];
  /** Progress objects the delivery job handed over, by target. */
  readonly progress = new Map<string, DeliveryProgress>();
  readonly #platform: FakePlatform;
  #killAfter = Number.POSITIVE_INFINITY;
  #accepted = 0;
  #dead = false;
  readonly #died = Promise.withResolvers<void>();

  constructor(platform: FakePlatform, options: MessengerOptions) {
    this.#platform = platform;
    this.platform = platform.platform;
    // No pace by default: a test never waits for a rate window to pass.
    this.limits = options.limits ?? { perSecond: Number.POSITIVE_INFINITY, concurrency: 4 };
    if (options.canReconcile) {
      this.findDelivered = async (lookup: DeliveryLookup) => {
        const found = platform.find(lookup.key);
        return found ? { ref: `${found.target}:found` } : null;
      };
    }
  }

  /** After the platform accepts `count` messages from this process, the process dies: that send and every later one hang. */
  killAfter(count: number): Promise<void> {
    this.#killAfter = count;
    return this.#died.promise;
  }

  postDigest(channelId: string, digest: DigestMessage, progress?: DeliveryProgress): Promise<SendResult> {
    return this.#send('digest', channelId, digest, progress);
  }

  sendAlert(userId: string, alert: AlertMessage, progress?: DeliveryProgress): Promise<SendResult> {
    return this.#send('alert', userId, alert, progress);
  }

  async #send(kind: DeliveryKind, target: string, message: DigestMessage | AlertMessage, progress?: DeliveryProgress): Promise<SendResult> {
    if (this.#dead) return hang(this.#platform, kind, target);
    if (progress) this.progress.set(target, progress);
    const result = this.#platform.receive(kind, target, message, progress?.key ?? null);
    if (result.ok) this.#accepted++;
    if (result.ok && this.#accepted >= this.#killAfter) {
      this.#dead = true;
      this.#died.resolve();
      return new Promise<SendResult>(() => {});
    }
    return result;
  }
}

function hang(platform: FakePlatform, kind: DeliveryKind, target: string): Promise<SendResult> {
  platform.calls.push({ kind, target, answer: 'hung', duringPause: platform.paused });
  return new Promise<SendResult>(() => {});
}
