/** A per-route limit: requests whose `METHOD /path` matches share a bucket per distinct path (its top-level resource). */
export type RateLimitRule = { readonly route: RegExp; readonly bucket: string; readonly limit: number; readonly windowMs: number };

export type Verdict =
  | { readonly ok: true; readonly headers?: Record<string, string> }
  | { readonly ok: false; readonly headers: Record<string, string>; readonly retryAfter: number; readonly global: boolean };

type Window = { count: number; resetAt: number };

/**
 * Discord-style limits with Discord's headers: fixed windows per bucket and top-level resource
 * (`X-RateLimit-*`, `Retry-After` in whole seconds, `retry_after` in the body to the millisecond),
 * and a global requests-per-second ceiling answered with `X-RateLimit-Global`.
 */
export class RateLimiter {
  readonly #rules: readonly RateLimitRule[];
  readonly #globalPerSecond: number;
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;
  #global: Window = { count: 0, resetAt: 0 };

  constructor(rules: readonly RateLimitRule[], globalPerSecond: number, now: () => number = Date.now) {
    this.#rules = rules;
    this.#globalPerSecond = globalPerSecond;
    this.#now = now;
  }

  take(key: string, exemptFromGlobal: boolean): Verdict {
    const now = this.#now();
    if (!exemptFromGlobal) {
      if (now >= this.#global.resetAt) this.#global = { count: 0, resetAt: now + 1000 };
      if (this.#global.count >= this.#globalPerSecond) {
        const retryAfter = (this.#global.resetAt - now) / 1000;
        return {
          ok: false,
          retryAfter,
          global: true,
          headers: { 'retry-after': String(Math.ceil(retryAfter)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
        };
      }
      this.#global.count++;
    }
    const rule = this.#rules.find((candidate) => candidate.route.test(key));
    if (!rule) return { ok: true };
    let window = this.#windows.get(key);
    if (!window || now >= window.resetAt) {
      window = { count: 0, resetAt: now + rule.windowMs };
      this.#windows.set(key, window);
    }
    const resetAfter = (window.resetAt - now) / 1000;
    if (window.count >= rule.limit) {
      const headers = { ...bucketHeaders(rule, 0, window.resetAt, resetAfter), 'retry-after': String(Math.ceil(resetAfter)), 'x-ratelimit-scope': 'user' };
      return { ok: false, retryAfter: resetAfter, global: false, headers };
    }
    window.count++;
    return { ok: true, headers: bucketHeaders(rule, rule.limit - window.count, window.resetAt, resetAfter) };
  }
}

function bucketHeaders(rule: RateLimitRule, remaining: number, resetAt: number, resetAfter: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(rule.limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
    'x-ratelimit-reset-after': resetAfter.toFixed(3),
    'x-ratelimit-bucket': rule.bucket,
  };
}
