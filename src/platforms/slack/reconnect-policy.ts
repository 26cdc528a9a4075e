/**
 * When the Socket Mode connection is opened again. Slack recycles connections every few hours
 * (`warning`, `refresh_requested`): the next one is opened at once. Failures back off — 1, 2, 4 …
 * up to 30 s — so a Slack that is down or refusing is not hammered; a connection that stayed up
 * ends a run of failures.
 */

export type ReconnectTiming = {
  /** The wait after the first failure in a row; it doubles with each further one. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** A connection that lasted this long ends a run of failures. */
  readonly stableMs: number;
  /** How long a new connection may take to say hello before it counts as failed. */
  readonly helloTimeoutMs: number;
};

export const RECONNECT_TIMING: ReconnectTiming = { retryBaseMs: 1000, retryMaxMs: 30_000, stableMs: 30_000, helloTimeoutMs: 10_000 };

/**
 * How a connection stopped taking envelopes: Slack moved it (`recycled`), Slack has more of the
 * app's connections than it allows (`too_many_websockets`), or it went away without a word
 * (`dropped`: a closed TCP connection, pings or pongs that stopped).
 */
export type ConnectionEnd = { readonly kind: 'recycled' | 'too_many_websockets' | 'dropped'; readonly reason: string; readonly upMs: number };

/** The wait before an attempt after `failures` failures in a row: none, then 1, 2, 4 … s up to the cap. */
export function backoffMs(failures: number, timing: ReconnectTiming): number {
  if (failures <= 0) return 0;
  return Math.min(timing.retryMaxMs, timing.retryBaseMs * 2 ** (failures - 1));
}

/**
 * After a connection ended: the failures in a row so far and the wait before the next attempt. A
 * recycle is no failure. `too_many_websockets` is tried again at once the first time (one of the
 * app's connections may just be going), and backs off when it repeats. A connection dropped soon
 * after it opened is a failure; one that had lasted is reopened at once.
 */
export function afterEnd(end: ConnectionEnd, failures: number, timing: ReconnectTiming): { readonly failures: number; readonly waitMs: number } {
  const streak = end.upMs >= timing.stableMs || end.kind === 'recycled' ? 0 : failures;
  if (end.kind === 'recycled') return { failures: 0, waitMs: 0 };
  if (end.kind === 'too_many_websockets') return { failures: streak + 1, waitMs: backoffMs(streak, timing) };
  const next = end.upMs >= timing.stableMs ? 0 : streak + 1;
  return { failures: next, waitMs: backoffMs(next, timing) };
}

/** After an attempt to connect failed: the failures in a row and the wait, at least what Slack asked (Retry-After). */
export function afterFailedAttempt(failures: number, timing: ReconnectTiming, retryAfterMs = 0): { readonly failures: number; readonly waitMs: number } {
  const next = failures + 1;
  return { failures: next, waitMs: Math.max(backoffMs(next, timing), retryAfterMs) };
}
