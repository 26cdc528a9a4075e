import { setTimeout as delay } from 'node:timers/promises';
import type { AlertMessage, DeliveryKind, DigestMessage, Messenger, Platform, SendLimits, SendResult } from '../../src/domain/delivery.ts';

export type Accepted = { readonly kind: DeliveryKind; readonly target: string; readonly at: number };

/**
 * A chat platform that enforces a rate limit the way Discord's global limit works: at most
 * `perSecond` requests in any second (a sliding window, checked when a request arrives); the rest
 * are answered 429 with the Retry-After that would have let them through. Each request takes
 * `latencyMs` to answer, like an HTTP round trip. It is its own Messenger and declares the limit
 * it enforces, as a real adapter declares its platform's.
 */
export class RateLimitedPlatform implements Messenger {
  readonly platform: Platform;
  readonly limits: SendLimits;
  readonly accepted: Accepted[] = [];
  rejected = 0;
  readonly #perSecond: number;
  readonly #latencyMs: number;
  readonly #window: number[] = [];

  constructor(platform: Platform, options: { readonly perSecond: number; readonly latencyMs: number; readonly concurrency?: number }) {
    this.platform = platform;
    this.#perSecond = options.perSecond;
    this.#latencyMs = options.latencyMs;
    this.limits = { perSecond: options.perSecond, concurrency: options.concurrency ?? 16 };
  }

  postDigest(channelId: string, digest: DigestMessage): Promise<SendResult> {
    return this.#request('digest', channelId, digest);
  }

  sendAlert(userId: string, alert: AlertMessage): Promise<SendResult> {
    return this.#request('alert', userId, alert);
  }

  async #request(kind: DeliveryKind, target: string, _message: DigestMessage | AlertMessage): Promise<SendResult> {
    const arrived = performance.now();
    while (this.#window.length && (this.#window[0] as number) <= arrived - 1000) this.#window.shift();
    const allowed = this.#window.length < this.#perSecond;
    if (allowed) this.#window.push(arrived);
    if (this.#latencyMs) await delay(this.#latencyMs);
    if (!allowed) {
      this.rejected++;
      return { ok: false, permanent: false, reason: 'rate limited', retryAfterMs: Math.max(1, (this.#window[0] as number) + 1000 - arrived) };
    }
    this.accepted.push({ kind, target, at: arrived });
    return { ok: true };
  }
}
