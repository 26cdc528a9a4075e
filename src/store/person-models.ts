import type { Platform } from '../domain/delivery.ts';
import { deserializeModel, type LinearModel } from '../domain/linear-model.ts';
import type { Paper } from '../domain/paper.ts';
import type { Queryable } from './db.ts';
import { PAPER_COLUMNS, PAPER_FROM, type PaperRow, toPaper } from './paper-rows.ts';
import { loadTextModel, saveTextModel } from './text-models.ts';
import type { Voter } from './votes.ts';

/**
 * Each person's model lives in `text_models` as `person:<platform>:<user id>` (the same table as
 * the offline filter's), with what it was trained on: the state of their votes and alerts, to see
 * when it is stale (a vote came in while the process was down, a vote's paper was deleted).
 */
const PREFIX = 'person:';

export function personModelName(voter: Voter): string {
  return `${PREFIX}${voter.platform}:${voter.userId}`;
}

/** People as a JSON list of [platform, user id] pairs, for `PEOPLE` (which reads them through the votes' primary key). */
function peopleJson(voters: readonly Voter[]): string {
  return JSON.stringify(voters.map((voter) => [voter.platform, voter.userId]));
}

const PEOPLE = "json_each(?) people JOIN votes v ON v.platform = json_extract(people.value, '$[0]') AND v.user_id = json_extract(people.value, '$[1]')";

/**
 * What decides whether a person's model is current, cheap to read for one person or for everyone
 * at once: their votes (how many, their sum, the latest change). Any vote cast, changed or
 * removed, and any voted paper deleted, changes it. The papers their alerts brought them (weak
 * positives) are not part of it: they change every day for everyone, and are learned at the next vote.
 */
export type TrainingState = { readonly votes: number; readonly sum: number; readonly lastVoteAt: string | null };

export function sameState(a: TrainingState, b: TrainingState): boolean {
  return a.votes === b.votes && a.sum === b.sum && a.lastVoteAt === b.lastVoteAt;
}

export type PersonModel = { readonly voter: Voter; readonly model: LinearModel; readonly state: TrainingState; readonly trainedAt: string };

/** At most this many papers a person's alerts brought them count as weak positives: the newest. */
export const MAX_ALERTED_EXAMPLES = 50;

const ALERTED = `FROM delivery_papers dp JOIN deliveries d ON d.id = dp.delivery_id
  WHERE d.kind = 'alert' AND d.platform = ? AND d.target = ? AND dp.pick IS NULL AND dp.is_update = 0`;

export const NO_VOTES: TrainingState = { votes: 0, sum: 0, lastVoteAt: null };

export async function trainingState(q: Queryable, voter: Voter): Promise<TrainingState> {
  const row = await q.get<{ votes: number; sum: number | null; last: string | null }>(
    'SELECT COUNT(*) AS votes, SUM(value) AS sum, MAX(updated_at) AS last FROM votes WHERE platform = ? AND user_id = ?',
    [voter.platform, voter.userId],
  );
  return { votes: row?.votes ?? 0, sum: row?.sum ?? 0, lastVoteAt: row?.last ?? null };
}

/** The training state of each of these people, by `personModelName`, in one query. */
export async function trainingStates(q: Queryable, voters: readonly Voter[]): Promise<Map<string, TrainingState>> {
  const rows = await q.all<{ platform: string; user_id: string; votes: number; sum: number; last: string }>(
    `SELECT v.platform, v.user_id, COUNT(*) AS votes, SUM(v.value) AS sum, MAX(v.updated_at) AS last FROM ${PEOPLE} GROUP BY v.platform, v.user_id`,
    [peopleJson(voters)],
  );
  return new Map(
    rows.map((row) => [personModelName({ platform: row.platform, userId: row.user_id }), { votes: row.votes, sum: row.sum, lastVoteAt: row.last }]),
  );
}

/** What a person's model learns from, as papers (deleted papers are simply gone). */
export type TrainingPapers = {
  readonly liked: readonly Paper[];
  readonly disliked: readonly Paper[];
  readonly alerted: readonly Paper[];
  readonly background: readonly Paper[];
};

export async function trainingPapers(q: Queryable, voter: Voter, backgroundPapers: number): Promise<TrainingPapers> {
  const voted = await q.all<PaperRow & { vote: number }>(
    `SELECT ${PAPER_COLUMNS}, v.value AS vote FROM votes v JOIN papers p ON p.id = v.paper_id LEFT JOIN classifications c ON c.paper_id = p.id
     WHERE v.platform = ? AND v.user_id = ? ORDER BY v.updated_at DESC, p.id`,
    [voter.platform, voter.userId],
  );
  const alerted = await q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM} WHERE p.id IN (
       SELECT dp.paper_id ${ALERTED}
         AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.platform = d.platform AND v.user_id = d.target AND v.paper_id = dp.paper_id)
       ORDER BY d.day DESC LIMIT ?)`,
    [voter.platform, voter.userId, MAX_ALERTED_EXAMPLES],
  );
  // The newest relevant papers the person neither voted on nor was alerted to: what they did not pick.
  const background = await q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM papers p JOIN classifications c ON c.paper_id = p.id
     WHERE c.relevant = 1
       AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.platform = ? AND v.user_id = ? AND v.paper_id = p.id)
       AND NOT EXISTS (SELECT 1 FROM delivery_papers dp JOIN deliveries d ON d.id = dp.delivery_id
                       WHERE dp.paper_id = p.id AND d.kind = 'alert' AND d.platform = ? AND d.target = ?)
     ORDER BY p.pk DESC LIMIT ?`,
    [voter.platform, voter.userId, voter.platform, voter.userId, backgroundPapers],
  );
  return {
    liked: voted.filter((row) => row.vote > 0).map(toPaper),
    disliked: voted.filter((row) => row.vote < 0).map(toPaper),
    alerted: alerted.map(toPaper),
    background: background.map(toPaper),
  };
}

export async function savePersonModel(q: Queryable, voter: Voter, model: LinearModel, state: TrainingState, now: Date): Promise<void> {
  await saveTextModel(q, personModelName(voter), model, state, now);
}

export async function deletePersonModel(q: Queryable, voter: Voter): Promise<void> {
  await q.run('DELETE FROM text_models WHERE name = ?', [personModelName(voter)]);
}

export async function loadPersonModel(q: Queryable, voter: Voter): Promise<PersonModel | null> {
  const stored = await loadTextModel(q, personModelName(voter));
  if (!stored) return null;
  return { voter, model: stored.model, state: stored.trainedOn as TrainingState, trainedAt: stored.trainedAt };
}

/** The models of these people that exist (people below the vote threshold have none). */
export async function loadPersonModels(q: Queryable, voters: readonly Voter[]): Promise<Map<string, PersonModel>> {
  if (voters.length === 0) return new Map();
  const byName = new Map(voters.map((voter) => [personModelName(voter), voter]));
  const rows = await q.all<{ name: string; model: string; trained_on: string; trained_at: string }>(
    'SELECT name, model, trained_on, trained_at FROM text_models WHERE name IN (SELECT value FROM json_each(?))',
    [JSON.stringify([...byName.keys()])],
  );
  return new Map(
    rows.map((row) => [
      row.name,
      {
        voter: byName.get(row.name) as Voter,
        model: deserializeModel(row.model),
        state: JSON.parse(row.trained_on) as TrainingState,
        trainedAt: row.trained_at,
      },
    ]),
  );
}

/** A "like …" names one of the person's newest this many 👍. */
export const MAX_LIKED_SHOWN = 200;

/** Each person's 👍 papers (that the archive still holds), newest vote first, by `personModelName`. */
export async function likedPaperIds(q: Queryable, voters: readonly Voter[]): Promise<Map<string, string[]>> {
  const rows = await q.all<{ platform: string; user_id: string; paper_id: string }>(
    `SELECT v.platform, v.user_id, v.paper_id FROM ${PEOPLE} WHERE v.value = 1 ORDER BY v.updated_at DESC, v.paper_id`,
    [peopleJson(voters)],
  );
  const liked = new Map<string, string[]>();
  for (const row of rows) {
    const name = personModelName({ platform: row.platform, userId: row.user_id });
    const list = liked.get(name) ?? [];
    if (list.length < MAX_LIKED_SHOWN) list.push(row.paper_id);
    liked.set(name, list);
  }
  return liked;
}

/**
 * Of these papers, the ones each person has seen already: in any alert of theirs (a match, an
 * update or a pick, any day) or voted on either way. By `personModelName`.
 */
export async function seenPaperIds(q: Queryable, paperIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const seen = new Map<string, Set<string>>();
  if (paperIds.length === 0) return seen;
  const rows = await q.all<{ platform: string; user_id: string; paper_id: string }>(
    `SELECT d.platform, d.target AS user_id, dp.paper_id FROM delivery_papers dp JOIN deliveries d ON d.id = dp.delivery_id
     WHERE dp.paper_id IN (SELECT value FROM json_each(?1)) AND d.kind = 'alert'
     UNION SELECT platform, user_id, paper_id FROM votes WHERE paper_id IN (SELECT value FROM json_each(?1))`,
    [JSON.stringify(paperIds)],
  );
  for (const row of rows) {
    const name = personModelName({ platform: row.platform, userId: row.user_id });
    const set = seen.get(name) ?? new Set<string>();
    set.add(row.paper_id);
    seen.set(name, set);
  }
  return seen;
}

/** `/subscribe picks`: true when it was off. */
export async function addPickSubscription(q: Queryable, voter: Voter, now: string): Promise<boolean> {
  const result = await q.run('INSERT INTO pick_subscriptions (platform, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
    voter.platform,
    voter.userId,
    now,
  ]);
  return result.changes > 0;
}

/** `/unsubscribe picks`: true when it was on. */
export async function removePickSubscription(q: Queryable, voter: Voter): Promise<boolean> {
  const result = await q.run('DELETE FROM pick_subscriptions WHERE platform = ? AND user_id = ?', [voter.platform, voter.userId]);
  return result.changes > 0;
}

export async function hasPickSubscription(q: Queryable, voter: Voter): Promise<boolean> {
  return (await q.get('SELECT 1 AS on_ FROM pick_subscriptions WHERE platform = ? AND user_id = ?', [voter.platform, voter.userId])) !== undefined;
}

export async function pickSubscribers(q: Queryable): Promise<{ platform: Platform; userId: string }[]> {
  const rows = await q.all<{ platform: Platform; user_id: string }>('SELECT platform, user_id FROM pick_subscriptions ORDER BY platform, user_id');
  return rows.map((row) => ({ platform: row.platform, userId: row.user_id }));
}

/** The papers a person voted on, either way. */
export async function votedPaperIds(q: Queryable, voter: Voter): Promise<Set<string>> {
  const rows = await q.all<{ paper_id: string }>('SELECT paper_id FROM votes WHERE platform = ? AND user_id = ?', [voter.platform, voter.userId]);
  return new Set(rows.map((row) => row.paper_id));
}
