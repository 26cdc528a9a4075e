/** The longest a retry waits, whatever the server asks (matches the OpenAI SDK's own ceiling). */
export const MAX_BACKOFF_MS = 60_000;

/** `retry-after-ms` (OpenAI's), else `retry-after` as delta-seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | null {
  const millis = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const header = headers?.get('retry-after');
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Exponential backoff from `baseMs`, never shorter than what the server asked for, capped. */
export function backoffMs(attempt: number, baseMs: number, serverAskedMs: number | null): number {
  const exponential = baseMs * 2 ** (attempt - 1);
  return Math.min(Math.max(exponential, serverAskedMs ?? 0), MAX_BACKOFF_MS);
}
