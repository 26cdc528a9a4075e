import type { Platform } from '../domain/delivery.ts';
import type { Subscriber, Subscription, SubscriptionKind, SubscriptionTarget } from '../domain/subscription.ts';
import type { Queryable } from './db.ts';

type SubscriptionRow = { id: number; platform: Platform; user_id: string; kind: SubscriptionKind; value: string; key: string; created_at: string };

const COLUMNS = 'id, platform, user_id, kind, value, key, created_at';

/** Adds a subscription; false when the person already had it (nothing changes). */
export async function addSubscription(q: Queryable, subscriber: Subscriber, target: SubscriptionTarget, now: string): Promise<boolean> {
  const result = await q.run(
    `INSERT INTO subscriptions (platform, user_id, kind, value, key, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (platform, user_id, kind, key) DO NOTHING`,
    [subscriber.platform, subscriber.userId, target.kind, target.value, target.key, now],
  );
  return result.changes > 0;
}

/** Removes one of the person's subscriptions; false when they had no such subscription. */
export async function removeSubscription(q: Queryable, subscriber: Subscriber, kind: SubscriptionKind, key: string): Promise<boolean> {
  const result = await q.run('DELETE FROM subscriptions WHERE platform = ? AND user_id = ? AND kind = ? AND key = ?', [
    subscriber.platform,
    subscriber.userId,
    kind,
    key,
  ]);
  return result.changes > 0;
}

/** Removes everything the person follows on this platform; returns how many went. */
export async function removeAllSubscriptions(q: Queryable, subscriber: Subscriber): Promise<number> {
  const result = await q.run('DELETE FROM subscriptions WHERE platform = ? AND user_id = ?', [subscriber.platform, subscriber.userId]);
  return result.changes;
}

/** The person's own subscriptions, tags first, then in the order they were added. */
export async function listSubscriptions(q: Queryable, subscriber: Subscriber): Promise<Subscription[]> {
  const rows = await q.all<SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE platform = ? AND user_id = ?
     ORDER BY CASE kind WHEN 'tag' THEN 0 WHEN 'keyword' THEN 1 WHEN 'phrase' THEN 2 ELSE 3 END, id`,
    [subscriber.platform, subscriber.userId],
  );
  return rows.map(toSubscription);
}

/** Every subscription (of one platform, when given): the input of the daily alert matching. */
export async function allSubscriptions(q: Queryable, platform?: Platform): Promise<Subscription[]> {
  const rows = platform
    ? await q.all<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE platform = ? ORDER BY id`, [platform])
    : await q.all<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions ORDER BY id`);
  return rows.map(toSubscription);
}

function toSubscription(row: SubscriptionRow): Subscription {
  return { id: row.id, platform: row.platform, userId: row.user_id, kind: row.kind, value: row.value, key: row.key, createdAt: row.created_at };
}
