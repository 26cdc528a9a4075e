import { parseRetryAfter } from '../domain/retry-after.ts';

/** The longest a retry waits, whatever the server asks (matches the OpenAI SDK's own ceiling). */
export const MAX_BACKOFF_MS = 60_000;

/** `retry-after-ms` (OpenAI's), else `retry-after` as delta-seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | null {
  return parseRetryAfter(headers?.get('retry-after'), nowMs, headers?.get('retry-after-ms'));
}

/** Exponential backoff from `baseMs`, never shorter than what the server asked for, capped. */
export function backoffMs(attempt: number, baseMs: number, serverAskedMs: number | null): number {
  const exponential = baseMs * 2 ** (attempt - 1);
  return Math.min(Math.max(exponential, serverAskedMs ?? 0), MAX_BACKOFF_MS);
}
