import type { DeliveryKind, Platform } from '../domain/delivery.ts';
import type { PickReason } from '../domain/explain-pick.ts';
import type { Database, Queryable } from './db.ts';

export type DeliveryStatus = 'claimed' | 'sent' | 'failed' | 'permanent';

/** Which delivery: at most one per (kind, platform, target, day). */
export type DeliveryKey = {
  readonly kind: DeliveryKind;
  readonly platform: Platform;
  /** A channel id for digests, a user id for alerts. */
  readonly target: string;
  readonly day: string;
};

export type Delivery = DeliveryKey & {
  readonly id: number;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly error: string | null;
  readonly ref: string | null;
  readonly progress: string | null;
  readonly claimedAt: string;
  readonly sentAt: string | null;
  readonly updatedAt: string;
};

/** One paper of a delivery, as it was composed. */
export type DeliveredPaper = {
  readonly id: string;
  readonly version: number;
  readonly isUpdate: boolean;
  readonly reasons: readonly string[];
  /** A pick's why; absent for a subscription's match. */
  readonly pick?: PickReason;
};

/** When a claim counts as abandoned, and how many tries a delivery gets. */
export type RetryPolicy = {
  /** Claims made before this instant belong to a process that died. */
  readonly staleBefore: string;
  readonly maxAttempts: number;
};

type DeliveryRow = {
  id: number;
  kind: DeliveryKind;
  platform: Platform;
  target: string;
  day: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  error: string | null;
  ref: string | null;
  progress: string | null;
  claimed_at: string;
  sent_at: string | null;
  updated_at: string;
};

/** `alert:slack:U123:2025-12-18`: the delivery's identity, handed to messengers for reconciliation. */
export function deliveryKey(key: DeliveryKey): string {
  return `${key.kind}:${key.platform}:${key.target}:${key.day}`;
}

/**
 * Claims a delivery nobody has claimed before, with what it will carry. Null when a row already
 * exists (sent, failed, or claimed by another run): the UNIQUE key makes the claim the lock.
 */
export async function claimNew(db: Database, key: DeliveryKey, papers: readonly DeliveredPaper[], now: string): Promise<Delivery | null> {
  return insertDelivery(db, key, papers, { status: 'claimed', attempts: 1, error: null, nextAttemptAt: null }, now);
}

/**
 * Records a delivery this process cannot send (its platform is not configured here) as due at
 * once and untried, with what it will carry: a process that has the platform sends it in its
 * retry pass, instead of the day being over for that platform. Null when a row already exists.
 */
export async function holdNew(db: Database, key: DeliveryKey, papers: readonly DeliveredPaper[], reason: string, now: string): Promise<Delivery | null> {
  return insertDelivery(db, key, papers, { status: 'failed', attempts: 0, error: reason, nextAttemptAt: now }, now);
}

type InitialState = { readonly status: DeliveryStatus; readonly attempts: number; readonly error: string | null; readonly nextAttemptAt: string | null };

async function insertDelivery(db: Database, key: DeliveryKey, papers: readonly DeliveredPaper[], state: InitialState, now: string): Promise<Delivery | null> {
  return db.transaction(async (tx) => {
    const inserted = await tx.run(
      `INSERT INTO deliveries (kind, platform, target, day, status, attempts, error, next_attempt_at, claimed_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, platform, target, day) DO NOTHING`,
      [key.kind, key.platform, key.target, key.day, state.status, state.attempts, state.error, state.nextAttemptAt, now, now],
    );
    if (inserted.changes === 0) return null;
    for (const [position, paper] of papers.entries()) {
      await tx.run('INSERT INTO delivery_papers (delivery_id, position, paper_id, version, is_update, reasons, pick) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        inserted.lastId,
        position,
        paper.id,
        paper.version,
        paper.isUpdate ? 1 : 0,
        JSON.stringify(paper.reasons),
        paper.pick ? JSON.stringify(paper.pick) : null,
      ]);
    }
    return readDelivery(tx, inserted.lastId);
  });
}

/**
 * Claims an existing delivery again: a failed one whose next attempt is due, or one claimed by a
 * process that died (its claim is stale). Null when it is not (or no longer) ours to send.
 */
export async function reclaim(db: Database, id: number, now: string, policy: RetryPolicy): Promise<Delivery | null> {
  return db.transaction(async (tx) => {
    const updated = await tx.run(
      `UPDATE deliveries SET status = 'claimed', attempts = attempts + 1, claimed_at = ?, next_attempt_at = NULL, updated_at = ?
       WHERE id = ? AND attempts < ? AND ((status = 'failed' AND next_attempt_at <= ?) OR (status = 'claimed' AND claimed_at < ?))`,
      [now, now, id, policy.maxAttempts, now, policy.staleBefore],
    );
    return updated.changes === 0 ? null : readDelivery(tx, id);
  });
}

/** Keeps a claim fresh while its send waits out a rate limit. */
export async function renewClaim(db: Database, id: number, now: string): Promise<void> {
  await db.run("UPDATE deliveries SET claimed_at = ?, updated_at = ? WHERE id = ? AND status = 'claimed'", [now, now, id]);
}

export async function markSent(db: Database, id: number, ref: string | null, now: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run("UPDATE deliveries SET status = 'sent', ref = ?, error = NULL, next_attempt_at = NULL, sent_at = ?, updated_at = ? WHERE id = ?", [
      ref,
      now,
      now,
      id,
    ]);
  });
}

/** A failed send: `permanent`, or retried at `nextAttemptAt` (null = no tries left). */
export async function markFailed(
  db: Database,
  id: number,
  failure: { readonly reason: string; readonly permanent: boolean; readonly nextAttemptAt: string | null },
  now: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('UPDATE deliveries SET status = ?, error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?', [
      failure.permanent ? 'permanent' : 'failed',
      failure.reason,
      failure.permanent ? null : failure.nextAttemptAt,
      now,
      id,
    ]);
  });
}

export async function saveProgress(db: Database, id: number, state: string, now: string): Promise<void> {
  await db.run('UPDATE deliveries SET progress = ?, updated_at = ? WHERE id = ?', [state, now, id]);
}

export async function readProgress(q: Queryable, id: number): Promise<string | null> {
  const row = await q.get<{ progress: string | null }>('SELECT progress FROM deliveries WHERE id = ?', [id]);
  return row?.progress ?? null;
}

export async function deliveredPapers(q: Queryable, id: number): Promise<DeliveredPaper[]> {
  const rows = await q.all<{ paper_id: string; version: number; is_update: number; reasons: string; pick: string | null }>(
    'SELECT paper_id, version, is_update, reasons, pick FROM delivery_papers WHERE delivery_id = ? ORDER BY position',
    [id],
  );
  return rows.map((row) => ({
    id: row.paper_id,
    version: row.version,
    isUpdate: row.is_update === 1,
    reasons: JSON.parse(row.reasons) as string[],
    ...(row.pick ? { pick: JSON.parse(row.pick) as PickReason } : {}),
  }));
}

/**
 * Deliveries of `platforms` to try again now, oldest first: failed ones whose next attempt is due
 * and claims left behind by a process that died. Of one day only, when given.
 */
export async function dueDeliveries(q: Queryable, now: string, policy: RetryPolicy, platforms: readonly Platform[], day?: string): Promise<Delivery[]> {
  const rows = await q.all<DeliveryRow>(
    `SELECT * FROM deliveries
     WHERE attempts < ? AND ((status = 'failed' AND next_attempt_at <= ?) OR (status = 'claimed' AND claimed_at < ?)) AND (? IS NULL OR day = ?)
       AND platform IN (SELECT value FROM json_each(?))
     ORDER BY day, id`,
    [policy.maxAttempts, now, policy.staleBefore, day ?? null, day ?? null, JSON.stringify(platforms)],
  );
  return rows.map(toDelivery);
}

/**
 * Claims left behind by dead processes that have no tries left become failed for good, so they
 * show up as failed instead of pending forever. Returns how many.
 */
export async function giveUpAbandoned(db: Database, now: string, policy: RetryPolicy, day?: string): Promise<number> {
  const result = await db.run(
    `UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = ?,
       error = COALESCE(error || '; ', '') || 'interrupted while sending, no tries left'
     WHERE status = 'claimed' AND claimed_at < ? AND attempts >= ? AND (? IS NULL OR day = ?)`,
    [now, policy.staleBefore, policy.maxAttempts, day ?? null, day ?? null],
  );
  return result.changes;
}

/**
 * Held deliveries (never tried: their platform was not configured where they were planned) that
 * no process with the platform picked up since `heldBefore` are given up: a digest that late is
 * news no more, and a platform removed on purpose should not leave deliveries pending forever.
 */
export async function expireHeld(db: Database, heldBefore: string, now: string, day?: string): Promise<number> {
  const result = await db.run(
    `UPDATE deliveries SET next_attempt_at = NULL, updated_at = ?, error = error || '; not sent: no process with this platform ran in time'
     WHERE status = 'failed' AND attempts = 0 AND next_attempt_at IS NOT NULL AND claimed_at < ? AND (? IS NULL OR day = ?)`,
    [now, heldBefore, day ?? null, day ?? null],
  );
  return result.changes;
}

/**
 * The earliest instant something of `platforms` becomes due: a failed delivery's next attempt, or
 * the moment the oldest open claim turns stale (`claimTimeoutMs` after it was made). Null when
 * nothing waits.
 */
export async function nextDueAt(q: Queryable, platforms: readonly Platform[], claimTimeoutMs: number, maxAttempts: number): Promise<Date | null> {
  const row = await q.get<{ retry: string | null; claim: string | null }>(
    `SELECT (SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'failed' AND attempts < ?1 AND platform IN (SELECT value FROM json_each(?2))) AS retry,
       (SELECT MIN(claimed_at) FROM deliveries WHERE status = 'claimed' AND attempts < ?1 AND platform IN (SELECT value FROM json_each(?2))) AS claim`,
    [maxAttempts, JSON.stringify(platforms)],
  );
  const times = [row?.retry ? Date.parse(row.retry) : null, row?.claim ? Date.parse(row.claim) + claimTimeoutMs : null].filter(
    (time): time is number => time !== null,
  );
  return times.length ? new Date(Math.min(...times)) : null;
}

/** The status of every delivery of a day, by `deliveryKey`. */
export async function deliveryStatusesOn(q: Queryable, day: string): Promise<Map<string, DeliveryStatus>> {
  const rows = await q.all<Pick<DeliveryRow, 'kind' | 'platform' | 'target' | 'day' | 'status'>>(
    'SELECT kind, platform, target, day, status FROM deliveries WHERE day = ?',
    [day],
  );
  return new Map(rows.map((row) => [deliveryKey(row), row.status]));
}

/** The highest version of each of `paperIds` that a person was sent in an alert before `day`. */
export type AlertedVersion = { readonly platform: Platform; readonly target: string; readonly paperId: string; readonly version: number };

export async function alertedVersions(q: Queryable, paperIds: readonly string[], beforeDay: string): Promise<AlertedVersion[]> {
  if (paperIds.length === 0) return [];
  const rows = await q.all<{ platform: Platform; target: string; paper_id: string; version: number }>(
    `SELECT d.platform, d.target, p.paper_id, MAX(p.version) AS version
     FROM delivery_papers p JOIN deliveries d ON d.id = p.delivery_id
     WHERE p.paper_id IN (SELECT value FROM json_each(?)) AND d.kind = 'alert' AND d.status = 'sent' AND d.day < ?
     GROUP BY d.platform, d.target, p.paper_id`,
    [JSON.stringify(paperIds), beforeDay],
  );
  return rows.map((row) => ({ platform: row.platform, target: row.target, paperId: row.paper_id, version: row.version }));
}

/** Per day and kind: sent, pending (being sent or waiting for a retry), failed (permanently or out of tries). */
export type DeliveryTally = { readonly day: string; readonly kind: DeliveryKind; readonly sent: number; readonly pending: number; readonly failed: number };

export async function deliveryTallies(q: Queryable, days: number): Promise<DeliveryTally[]> {
  return q.all<DeliveryTally>(
    `SELECT day, kind, SUM(status = 'sent') AS sent,
       SUM(status = 'claimed' OR (status = 'failed' AND next_attempt_at IS NOT NULL)) AS pending,
       SUM(status = 'permanent' OR (status = 'failed' AND next_attempt_at IS NULL)) AS failed
     FROM deliveries WHERE day IN (SELECT DISTINCT day FROM deliveries ORDER BY day DESC LIMIT ?)
     GROUP BY day, kind ORDER BY day DESC, kind DESC`,
    [days],
  );
}

/** Deliveries that are not sent, latest first: what `status` lists as pending and failed. */
export async function unsentDeliveries(q: Queryable, limit: number): Promise<Delivery[]> {
  const rows = await q.all<DeliveryRow>("SELECT * FROM deliveries WHERE status != 'sent' ORDER BY updated_at DESC, id DESC LIMIT ?", [limit]);
  return rows.map(toDelivery);
}

async function readDelivery(q: Queryable, id: number): Promise<Delivery | null> {
  const row = await q.get<DeliveryRow>('SELECT * FROM deliveries WHERE id = ?', [id]);
  return row ? toDelivery(row) : null;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    kind: row.kind,
    platform: row.platform,
    target: row.target,
    day: row.day,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    error: row.error,
    ref: row.ref,
    progress: row.progress,
    claimedAt: row.claimed_at,
    sentAt: row.sent_at,
    updatedAt: row.updated_at,
  };
}
