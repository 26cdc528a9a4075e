import { type DayIndex, dense, dot, indexDay, project, type Sparse, scoreDay } from '../domain/day-index.ts';
import { type PickReason, weightiestWords } from '../domain/explain-pick.ts';
import type { LinearModel } from '../domain/linear-model.ts';
import type { Paper } from '../domain/paper.ts';
import { toPaperView } from '../domain/paper-view.ts';
import { personalFeatures } from '../domain/personal-model.ts';
import type { PaperView } from '../domain/reply.ts';
import { type FeatureVector, surfaceForms } from '../domain/text-features.ts';
import { paperText, personModels } from '../pipeline/refresh-person-model.ts';
import type { Database } from '../store/db.ts';
import type { DeliveredPaper } from '../store/ledger.ts';
import { type DayListing, papersByIds } from '../store/papers.ts';
import { likedPaperIds, personModelName, pickSubscribers, seenPaperIds } from '../store/person-models.ts';
import type { Voter } from '../store/votes.ts';
import { relevantNewPapers } from './compose-digests.ts';
import type { PlannedDelivery } from './planned-delivery.ts';

/** At most this many picks a day. */
export const PICKS_PER_DAY = 5;

/**
 * "Picked for you": for each person who asked (`/subscribe picks`) and whose model exists (enough
 * votes), the day's relevant new papers their model scores highest — more likely liked than not —
 * among those none of their subscriptions matched (those are in their alert already) and that
 * they have not seen (in an alert of any day, or voted on either way). Each with why. The picks
 * join the person's alert of the day, so they come in the same DM and through the same ledger
 * row; a person with picks and no matches gets an alert of picks alone.
 */
export async function addPicks(
  db: Database,
  day: string,
  listing: readonly DayListing[],
  plans: readonly PlannedDelivery[],
  now: Date,
): Promise<PlannedDelivery[]> {
  const fresh = relevantNewPapers(listing).map((item) => item.paper);
  if (fresh.length === 0) return [...plans];
  const people = await pickSubscribers(db);
  if (people.length === 0) return [...plans];
  const models = await personModels(db, people, now);
  if (models.size === 0) return [...plans];
  const features = fresh.map((paper) => personalFeatures(paperText(paper)));
  const index = indexDay(features);
  const scratch = new Float64Array(index.words.size);
  const seen = await seenPaperIds(
    db,
    fresh.map((paper) => paper.id),
  );
  const explain = await explainer(
    db,
    fresh,
    features,
    index,
    people.filter((person) => models.has(personModelName(person))),
  );
  const result = [...plans];
  const alertAt = new Map(
    result.map((plan, at) => [plan.key.kind === 'alert' ? personModelName({ platform: plan.key.platform, userId: plan.key.target }) : '', at]),
  );
  for (const person of people) {
    const name = personModelName(person);
    const model = models.get(name);
    if (!model) continue;
    const at = alertAt.get(name);
    const plan = at === undefined ? null : (result[at] as PlannedDelivery);
    const skip = new Set([...(seen.get(name) ?? []), ...(plan?.papers.map((paper) => paper.id) ?? [])]);
    const best = bestPapers(scoreDay(index, model, scratch), fresh, skip);
    if (best.length === 0) continue;
    const picks = best.map((position) => explain(model, name, position));
    const entries: DeliveredPaper[] = picks.map((view) => ({
      id: view.id,
      version: view.version,
      isUpdate: false,
      reasons: [],
      ...(view.pick ? { pick: view.pick } : {}),
    }));
    if (plan && plan.outgoing.kind === 'alert') {
      result[at as number] = { ...plan, outgoing: { kind: 'alert', message: { ...plan.outgoing.message, picks } }, papers: [...plan.papers, ...entries] };
    } else {
      result.push({
        key: { kind: 'alert', platform: person.platform, target: person.userId, day },
        outgoing: { kind: 'alert', message: { day, papers: [], picks } },
        papers: entries,
      });
    }
  }
  return result;
}

/** The positions of the best-scored papers not to skip, best first, only those more likely liked than not. */
function bestPapers(scores: Float64Array, papers: readonly Paper[], skip: ReadonlySet<string>): number[] {
  const scored: { position: number; score: number }[] = [];
  papers.forEach((paper, position) => {
    const score = scores[position] as number;
    if (score > 0 && !skip.has(paper.id)) scored.push({ position, score });
  });
  return scored
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, PICKS_PER_DAY)
    .map(({ position }) => position);
}

/**
 * Builds the view of a pick with its why. The 👍 papers of everyone who gets picks are read once
 * and reduced to the day's words (all that can overlap with a pick); each picked paper's written
 * forms and dense vector are made once, however many people it is picked for.
 */
async function explainer(
  db: Database,
  fresh: readonly Paper[],
  features: readonly FeatureVector[],
  index: DayIndex,
  people: readonly Voter[],
): Promise<(model: LinearModel, person: string, position: number) => PaperView> {
  const likedIds = await likedPaperIds(db, people);
  const liked = new Map<string, { title: string; words: Sparse }>();
  for (const paper of await papersByIds(db, [...new Set([...likedIds.values()].flat())])) {
    liked.set(paper.id, { title: paper.title, words: project(index, personalFeatures(paperText(paper))) });
  }
  const forms = new Map<number, Map<string, string>>();
  const vectors = new Map<number, Float64Array>();
  const once = <T>(cache: Map<number, T>, position: number, make: () => T): T => {
    let value = cache.get(position);
    if (value === undefined) {
      value = make();
      cache.set(position, value);
    }
    return value;
  };
  return (model, person, position) => {
    const paper = fresh[position] as Paper;
    const written = once(forms, position, () => surfaceForms(paper.title, paper.abstract, paper.classification.tldr ?? ''));
    const vector = once(vectors, position, () => dense(index, position));
    let like: PickReason['like'] = null;
    let overlap = 0;
    for (const id of likedIds.get(person) ?? []) {
      const candidate = liked.get(id);
      const shared = candidate ? dot(candidate.words, vector) : 0;
      if (candidate && shared > overlap) {
        overlap = shared;
        like = { id, title: candidate.title };
      }
    }
    const pick: PickReason = { like, words: weightiestWords(model, features[position] as FeatureVector, written) };
    return { ...toPaperView(paper), pick };
  };
}
