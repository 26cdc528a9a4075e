import { createHash } from 'node:crypto';
import type { Queryable } from '../store/db.ts';

export type RateLimit = { readonly scope: string; readonly limit: number; readonly windowMs: number };

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Counts one use of `subject` in the current fixed window; false when that makes more than the
 * limit. Subjects are stored hashed: the table never holds an address in the clear.
 */
export async function takeRateLimit(q: Queryable, rule: RateLimit, subject: string, now: Date): Promise<boolean> {
  const windowStart = new Date(Math.floor(now.getTime() / rule.windowMs) * rule.windowMs).toISOString();
  const row = await q.get<{ count: number }>(
    `INSERT INTO rate_limits (scope, subject, window_start, count) VALUES (?, ?, ?, 1)
     ON CONFLICT (scope, subject, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
    [rule.scope, hashSubject(rule.scope, subject), windowStart],
  );
  return (row?.count ?? 1) <= rule.limit;
}

/** Windows older than a day and a half can no longer count against anyone. */
export async function purgeRateLimits(q: Queryable, now: Date): Promise<void> {
  await q.run('DELETE FROM rate_limits WHERE window_start < ?', [new Date(now.getTime() - DAY_MS - 12 * HOUR_MS).toISOString()]);
}

function hashSubject(scope: string, subject: string): string {
  return createHash('sha256').update(`${scope}\u0000${subject}`).digest('hex').slice(0, 32);
}

/**
 * The part of a client address one party controls: IPv4 as is, IPv6 by its /64 (a home or cloud
 * host gets a whole /64, so counting single IPv6 addresses would not limit anyone).
 */
export function clientNetwork(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
