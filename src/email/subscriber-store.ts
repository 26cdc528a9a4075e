import type { Subscriber, SubscriptionTarget } from '../domain/subscription.ts';
import type { Queryable } from '../store/db.ts';
import { deletePersonModel, removePickSubscription } from '../store/person-models.ts';
import { removeAllSubscriptions } from '../store/subscriptions.ts';

/** A confirmed email subscriber; `id` is the user id of their `subscriptions` rows (platform 'email'). */
export type EmailSubscriber = { readonly id: string; readonly address: string; readonly unsubscribeKey: string; readonly confirmedAt: string };

/** A subscribe form waiting for its confirmation link; `picks` when it asked for "Picked for you" too. */
export type EmailRequest = { readonly address: string; readonly targets: readonly SubscriptionTarget[]; readonly picks?: boolean; readonly expiresAt: string };

type SubscriberRow = { id: string; address: string; unsubscribe_key: string; confirmed_at: string };

export function emailSubscriber(id: string): Subscriber {
  return { platform: 'email', userId: id };
}

export async function insertRequest(q: Queryable, tokenHash: string, request: EmailRequest, now: string): Promise<void> {
  await q.run('INSERT INTO email_requests (token_hash, address, targets, picks, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
    tokenHash,
    request.address,
    JSON.stringify(request.targets),
    request.picks ? 1 : 0,
    now,
    request.expiresAt,
  ]);
}

/** The request behind a confirmation token, unless it expired or was used. */
export async function findRequest(q: Queryable, tokenHash: string, now: string): Promise<EmailRequest | null> {
  const row = await q.get<{ address: string; targets: string; picks: number; expires_at: string }>(
    'SELECT address, targets, picks, expires_at FROM email_requests WHERE token_hash = ? AND expires_at > ?',
    [tokenHash, now],
  );
  return row ? { address: row.address, targets: JSON.parse(row.targets) as SubscriptionTarget[], picks: row.picks === 1, expiresAt: row.expires_at } : null;
}

export async function deleteRequest(q: Queryable, tokenHash: string): Promise<void> {
  await q.run('DELETE FROM email_requests WHERE token_hash = ?', [tokenHash]);
}

export async function deleteRequestsFor(q: Queryable, address: string): Promise<void> {
  await q.run('DELETE FROM email_requests WHERE address = ?', [address]);
}

export async function purgeExpiredRequests(q: Queryable, now: string): Promise<void> {
  await q.run('DELETE FROM email_requests WHERE expires_at <= ?', [now]);
}

export async function findSubscriberById(q: Queryable, id: string): Promise<EmailSubscriber | null> {
  const row = await q.get<SubscriberRow>('SELECT id, address, unsubscribe_key, confirmed_at FROM email_subscribers WHERE id = ?', [id]);
  return row ? toSubscriber(row) : null;
}

export async function findSubscriberByAddress(q: Queryable, address: string): Promise<EmailSubscriber | null> {
  const row = await q.get<SubscriberRow>('SELECT id, address, unsubscribe_key, confirmed_at FROM email_subscribers WHERE address = ?', [address]);
  return row ? toSubscriber(row) : null;
}

export async function insertSubscriber(q: Queryable, subscriber: EmailSubscriber): Promise<void> {
  await q.run('INSERT INTO email_subscribers (id, address, unsubscribe_key, confirmed_at) VALUES (?, ?, ?, ?)', [
    subscriber.id,
    subscriber.address,
    subscriber.unsubscribeKey,
    subscriber.confirmedAt,
  ]);
}

/** Forgets the subscriber: their address, their key (so their old links die), everything they followed and their own model. */
export async function deleteSubscriber(q: Queryable, id: string): Promise<void> {
  await removeAllSubscriptions(q, emailSubscriber(id));
  await removePickSubscription(q, emailSubscriber(id));
  await deletePersonModel(q, emailSubscriber(id));
  await q.run('DELETE FROM email_subscribers WHERE id = ?', [id]);
}

function toSubscriber(row: SubscriberRow): EmailSubscriber {
  return { id: row.id, address: row.address, unsubscribeKey: row.unsubscribe_key, confirmedAt: row.confirmed_at };
}
