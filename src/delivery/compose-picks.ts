import { explainPick, type LikedPaper } from '../domain/explain-pick.ts';
import type { LinearModel } from '../domain/linear-model.ts';
import type { Paper } from '../domain/paper.ts';
import { toPaperView } from '../domain/paper-view.ts';
import { personalFeatures, personalScore } from '../domain/personal-model.ts';
import type { PaperView } from '../domain/reply.ts';
import { surfaceForms } from '../domain/text-features.ts';
import { paperText, personModels } from '../pipeline/refresh-person-model.ts';
import type { Database } from '../store/db.ts';
import type { DeliveredPaper } from '../store/ledger.ts';
import type { DayListing } from '../store/papers.ts';
import { papersByIds } from '../store/papers.ts';
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
  const seen = await seenPaperIds(
    db,
    fresh.map((paper) => paper.id),
  );
  const explain = explainer(
    db,
    fresh,
    features,
    people.filter((person) => models.has(personModelName(person))),
  );
  const result = [...plans];
  const alertAt = new Map(
    result.map((plan, index) => [plan.key.kind === 'alert' ? personModelName({ platform: plan.key.platform, userId: plan.key.target }) : '', index]),
  );
  for (const person of people) {
    const name = personModelName(person);
    const model = models.get(name);
    if (!model) continue;
    const index = alertAt.get(name);
    const plan = index === undefined ? null : (result[index] as PlannedDelivery);
    const skip = new Set([...(seen.get(name) ?? []), ...(plan?.papers.map((paper) => paper.id) ?? [])]);
    const best = bestPapers(model, fresh, features, skip);
    if (best.length === 0) continue;
    const picks = await Promise.all(best.map((position) => explain(model, name, position)));
    const entries: DeliveredPaper[] = picks.map((view) => ({
      id: view.id,
      version: view.version,
      isUpdate: false,
      reasons: [],
      ...(view.pick ? { pick: view.pick } : {}),
    }));
    if (plan && plan.outgoing.kind === 'alert') {
      result[index as number] = { ...plan, outgoing: { kind: 'alert', message: { ...plan.outgoing.message, picks } }, papers: [...plan.papers, ...entries] };
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
function bestPapers(
  model: LinearModel,
  papers: readonly Paper[],
  features: readonly ReturnType<typeof personalFeatures>[],
  skip: ReadonlySet<string>,
): number[] {
  const scored: { position: number; score: number }[] = [];
  papers.forEach((paper, position) => {
    if (skip.has(paper.id)) return;
    const score = personalScore(model, features[position] as ReturnType<typeof personalFeatures>);
    if (score > 0) scored.push({ position, score });
  });
  return scored
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, PICKS_PER_DAY)
    .map(({ position }) => position);
}

/**
 * Builds the view of a pick with its why. The liked papers of everyone who gets picks are read
 * once (each paper's features computed once, however many people liked it).
 */
function explainer(
  db: Database,
  fresh: readonly Paper[],
  features: readonly ReturnType<typeof personalFeatures>[],
  people: readonly Voter[],
): (model: LinearModel, person: string, position: number) => Promise<PaperView> {
  const forms = new Map<number, Map<string, string>>();
  const likedFeatures = new Map<string, LikedPaper>();
  let likedIds: Map<string, string[]> | null = null;
  const likedOf = async (person: string): Promise<LikedPaper[]> => {
    if (!likedIds) {
      likedIds = await likedPaperIds(db, people);
      const wanted = [...new Set([...likedIds.values()].flat())];
      for (const paper of await papersByIds(db, wanted)) {
        likedFeatures.set(paper.id, { id: paper.id, title: paper.title, features: personalFeatures(paperText(paper)) });
      }
    }
    return (likedIds.get(person) ?? []).flatMap((id) => likedFeatures.get(id) ?? []);
  };
  return async (model, person, position) => {
    const paper = fresh[position] as Paper;
    let written = forms.get(position);
    if (!written) {
      written = surfaceForms(paper.title, paper.abstract, paper.classification.tldr ?? '');
      forms.set(position, written);
    }
    const pick = explainPick(model, features[position] as ReturnType<typeof personalFeatures>, written, await likedOf(person));
    return { ...toPaperView(paper), pick };
  };
}
