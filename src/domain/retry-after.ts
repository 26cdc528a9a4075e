/**
 * How long a server asked us to wait: `Retry-After` as delta-seconds or an HTTP date, or OpenAI's
 * `retry-after-ms` when given. Null when it said nothing usable.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number, millisHeader?: string | null): number | null {
  const millis = Number(millisHeader ?? Number.NaN);
  if (Number.isFinite(millis) && millis >= 0) return millis;
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
