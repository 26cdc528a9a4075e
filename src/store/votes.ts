import { UserError } from '../domain/errors.ts';
import type { Database, Queryable } from './db.ts';

/**
 * 👍/👎 on papers: one current vote per (platform, person, paper), changed or removed in place, and
 * the group's label of each voted paper (the majority; a tie is no label) kept beside them in the
 * same transaction. Platforms only turn a click, a reaction or a link into a call here.
 */
export const VOTE_SOURCES = ['digest', 'alert', 'search', 'reaction', 'command', 'web', 'email'] as const;
export type VoteSource = (typeof VOTE_SOURCES)[number];
export type VoteValue = 'relevant' | 'not-relevant';

export type Voter = { readonly platform: string; readonly userId: string };

/** What a vote did, for the private reply ("marked relevant", "changed to not relevant", …). */
export type VoteChange = 'new' | 'changed' | 'unchanged' | 'removed' | 'none';

export type GroupLabel = {
  readonly paperId: string;
  readonly relevantVotes: number;
  readonly notRelevantVotes: number;
  /** The majority; null on a tie (the filter's verdict stands) or with no votes. */
  readonly label: VoteValue | null;
};

export type VoteOutcome = {
  readonly change: VoteChange;
  readonly previous: VoteValue | null;
  readonly current: VoteValue | null;
  readonly group: GroupLabel;
  /** Whether the group's label of the paper changed (a model trained on labels is stale). */
  readonly labelChanged: boolean;
};

export type Vote = Voter & {
  readonly paperId: string;
  readonly value: VoteValue;
  readonly source: VoteSource;
  readonly createdAt: string;
  readonly updatedAt: string;
};

type VoteRow = { platform: string; user_id: string; paper_id: string; value: number; source: string; created_at: string; updated_at: string };

const toValue = (stored: number): VoteValue => (stored > 0 ? 'relevant' : 'not-relevant');
const toStored = (value: VoteValue): number => (value === 'relevant' ? 1 : -1);

export function isVoteSource(text: string): text is VoteSource {
  return (VOTE_SOURCES as readonly string[]).includes(text);
}

/** Casts or changes a vote. Refused (UserError) for a paper the archive does not hold. */
export function castVote(db: Database, vote: Voter & { paperId: string; value: VoteValue; source: VoteSource; now: Date }): Promise<VoteOutcome> {
  return db.transaction((tx) => castVoteIn(tx, vote));
}

/** Removes a person's vote on a paper; `none` when there was none. */
export function removeVote(db: Database, vote: Voter & { paperId: string; now: Date }): Promise<VoteOutcome> {
  return db.transaction((tx) => removeVoteIn(tx, vote));
}

/** castVote inside a caller's transaction (to apply its effects in the same one). */
export async function castVoteIn(tx: Queryable, vote: Voter & { paperId: string; value: VoteValue; source: VoteSource; now: Date }): Promise<VoteOutcome> {
  await requirePaper(tx, vote.paperId);
  const existing = await currentVote(tx, vote);
  const stamp = vote.now.toISOString();
  if (existing === vote.value) return { ...(await settle(tx, vote.paperId, stamp, false)), change: 'unchanged', previous: existing, current: existing };
  await tx.run(
    `INSERT INTO votes (platform, user_id, paper_id, value, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (platform, user_id, paper_id) DO UPDATE SET value = excluded.value, source = excluded.source, updated_at = excluded.updated_at`,
    [vote.platform, vote.userId, vote.paperId, toStored(vote.value), vote.source, stamp, stamp],
  );
  return { ...(await settle(tx, vote.paperId, stamp, true)), change: existing ? 'changed' : 'new', previous: existing, current: vote.value };
}

/** `only`: remove the vote only if it is this value (a 👍 taken off leaves a 👎 cast since). */
export async function removeVoteIn(tx: Queryable, vote: Voter & { paperId: string; now: Date; only?: VoteValue }): Promise<VoteOutcome> {
  const current = await currentVote(tx, vote);
  const stamp = vote.now.toISOString();
  if (current && vote.only && current !== vote.only)
    return { ...(await settle(tx, vote.paperId, stamp, false)), change: 'unchanged', previous: current, current };
  const existing = current;
  if (!existing) return { ...(await settle(tx, vote.paperId, stamp, false)), change: 'none', previous: null, current: null };
  await tx.run('DELETE FROM votes WHERE platform = ? AND user_id = ? AND paper_id = ?', [vote.platform, vote.userId, vote.paperId]);
  return { ...(await settle(tx, vote.paperId, stamp, true)), change: 'removed', previous: existing, current: null };
}

async function requirePaper(q: Queryable, paperId: string): Promise<void> {
  const row = await q.get<{ id: string }>('SELECT id FROM papers WHERE id = ?', [paperId]);
  if (!row) throw new UserError(`${paperId} is not in the archive, so it cannot be voted on.`);
}

/** A person's vote on a paper now, if any. */
export async function currentVote(q: Queryable, vote: Voter & { paperId: string }): Promise<VoteValue | null> {
  const row = await q.get<{ value: number }>('SELECT value FROM votes WHERE platform = ? AND user_id = ? AND paper_id = ?', [
    vote.platform,
    vote.userId,
    vote.paperId,
  ]);
  return row ? toValue(row.value) : null;
}

/** Recomputes the paper's group label after a change; bumps the generation when the label moved. */
async function settle(tx: Queryable, paperId: string, stamp: string, changed: boolean): Promise<{ group: GroupLabel; labelChanged: boolean }> {
  const before = await groupLabel(tx, paperId);
  if (!changed) return { group: before, labelChanged: false };
  const counts = await tx.get<{ up: number | null; down: number | null }>(
    'SELECT SUM(value = 1) AS up, SUM(value = -1) AS down FROM votes WHERE paper_id = ?',
    [paperId],
  );
  const up = counts?.up ?? 0;
  const down = counts?.down ?? 0;
  if (up + down === 0) await tx.run('DELETE FROM paper_labels WHERE paper_id = ?', [paperId]);
  else {
    const label = up === down ? null : Number(up > down);
    // The verdict to measure against: the classifier's, unless the group's votes already replaced it.
    const verdict = await tx.get<{ model: string | null; relevant: number | null }>(
      "SELECT model, relevant FROM classifications WHERE paper_id = ? AND status = 'done' AND model IS NOT 'votes'",
      [paperId],
    );
    await tx.run(
      `INSERT INTO paper_labels (paper_id, relevant_votes, not_relevant_votes, label, filter_model, filter_relevant, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (paper_id) DO UPDATE SET relevant_votes = excluded.relevant_votes, not_relevant_votes = excluded.not_relevant_votes,
         label = excluded.label, filter_model = COALESCE(excluded.filter_model, filter_model),
         filter_relevant = COALESCE(excluded.filter_relevant, filter_relevant), updated_at = excluded.updated_at`,
      [paperId, up, down, label, verdict?.model ?? null, verdict?.relevant ?? null, stamp],
    );
  }
  const after = await groupLabel(tx, paperId);
  const labelChanged = after.label !== before.label;
  if (labelChanged) await tx.run('UPDATE label_generation SET generation = generation + 1 WHERE id = 1');
  return { group: after, labelChanged };
}

export async function groupLabel(q: Queryable, paperId: string): Promise<GroupLabel> {
  const row = await q.get<{ relevant_votes: number; not_relevant_votes: number; label: number | null }>(
    'SELECT relevant_votes, not_relevant_votes, label FROM paper_labels WHERE paper_id = ?',
    [paperId],
  );
  return {
    paperId,
    relevantVotes: row?.relevant_votes ?? 0,
    notRelevantVotes: row?.not_relevant_votes ?? 0,
    label: row?.label === null || row?.label === undefined ? null : row.label === 1 ? 'relevant' : 'not-relevant',
  };
}

/** Papers with a group label (ties left out), most recently changed first. */
export async function groupLabels(q: Queryable, options: { readonly limit?: number } = {}): Promise<(GroupLabel & { readonly updatedAt: string })[]> {
  const rows = await q.all<{ paper_id: string; relevant_votes: number; not_relevant_votes: number; label: number; updated_at: string }>(
    'SELECT paper_id, relevant_votes, not_relevant_votes, label, updated_at FROM paper_labels WHERE label IS NOT NULL ORDER BY updated_at DESC, paper_id LIMIT ?',
    [options.limit ?? -1],
  );
  return rows.map((row) => ({
    paperId: row.paper_id,
    relevantVotes: row.relevant_votes,
    notRelevantVotes: row.not_relevant_votes,
    label: row.label === 1 ? 'relevant' : 'not-relevant',
    updatedAt: row.updated_at,
  }));
}

/** A person's votes on this platform, newest first (for `/feedback`). */
export async function votesOf(q: Queryable, voter: Voter, limit = 50): Promise<Vote[]> {
  const rows = await q.all<VoteRow>('SELECT * FROM votes WHERE platform = ? AND user_id = ? ORDER BY updated_at DESC, paper_id LIMIT ?', [
    voter.platform,
    voter.userId,
    limit,
  ]);
  return rows.map((row) => ({
    platform: row.platform,
    userId: row.user_id,
    paperId: row.paper_id,
    value: toValue(row.value),
    source: isVoteSource(row.source) ? row.source : 'command',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

export type VoteCounts = { readonly votes: number; readonly voters: number; readonly labelled: number; readonly relevant: number; readonly ties: number };

export async function voteCounts(q: Queryable): Promise<VoteCounts> {
  const votes = await q.get<{ votes: number; voters: number }>('SELECT COUNT(*) AS votes, COUNT(DISTINCT platform || char(0) || user_id) AS voters FROM votes');
  const labels = await q.get<{ labelled: number | null; relevant: number | null; ties: number | null }>(
    'SELECT SUM(label IS NOT NULL) AS labelled, SUM(label = 1) AS relevant, SUM(label IS NULL) AS ties FROM paper_labels',
  );
  return {
    votes: votes?.votes ?? 0,
    voters: votes?.voters ?? 0,
    labelled: labels?.labelled ?? 0,
    relevant: labels?.relevant ?? 0,
    ties: labels?.ties ?? 0,
  };
}

/** Increases whenever any paper's group label changes. */
export async function labelGeneration(q: Queryable): Promise<number> {
  return (await q.get<{ generation: number }>('SELECT generation FROM label_generation WHERE id = 1'))?.generation ?? 0;
}

/**
 * SQL condition (papers aliased `p`) that leaves out papers the group marked not relevant: for the
 * default views of the web page and feeds.
 */
export const NOT_REJECTED_BY_GROUP = 'NOT EXISTS (SELECT 1 FROM paper_labels pl WHERE pl.paper_id = p.id AND pl.label = 0)';

/** Which of these papers the group marked not relevant. */
export async function rejectedByGroup(q: Queryable, paperIds: readonly string[]): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await q.all<{ paper_id: string }>('SELECT paper_id FROM paper_labels WHERE label = 0 AND paper_id IN (SELECT value FROM json_each(?))', [
    JSON.stringify(paperIds),
  ]);
  return new Set(rows.map((row) => row.paper_id));
}
