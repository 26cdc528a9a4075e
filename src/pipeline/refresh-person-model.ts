import type { LinearModel } from '../domain/linear-model.ts';
import type { Paper } from '../domain/paper.ts';
import { PERSONAL_TRAINING, personalFeatures, trainPersonalModel, votesNeeded } from '../domain/personal-model.ts';
import type { Database } from '../store/db.ts';
import {
  deletePersonModel,
  loadPersonModel,
  loadPersonModels,
  NO_VOTES,
  type PersonModel,
  personModelName,
  sameState,
  savePersonModel,
  type TrainingState,
  trainingPapers,
  trainingState,
  trainingStates,
} from '../store/person-models.ts';
import type { Voter } from '../store/votes.ts';

/** Where a person stands: a model, or how many more 👍 and 👎 it takes to get one. */
export type PersonModelStatus =
  | { readonly kind: 'ready'; readonly model: LinearModel; readonly positives: number; readonly negatives: number }
  | { readonly kind: 'waiting'; readonly needed: { readonly positive: number; readonly negative: number } };

export function paperText(paper: Paper) {
  return { title: paper.title, abstract: paper.abstract, tldr: paper.classification.tldr, tags: paper.classification.tags };
}

/**
 * Retrains a person's model from what the archive holds now (a few milliseconds: tens of votes,
 * a few hundred weak examples) and keeps it in the archive — or removes it when the person has
 * fewer votes than the threshold. Written only if nothing it learned from changed meanwhile: two
 * votes in quick succession train twice in parallel, and only the one that saw the last vote may
 * write (the other's vote has its own refresh), so no write ever puts back an older model.
 */
export async function refreshPersonModel(db: Database, voter: Voter, now: Date): Promise<PersonModelStatus> {
  const state = await trainingState(db, voter);
  const papers = await trainingPapers(db, voter, PERSONAL_TRAINING.backgroundPapers);
  const needed = votesNeeded(papers.liked.length, papers.disliked.length);
  const model = needed
    ? null
    : trainPersonalModel({
        liked: papers.liked.map((paper) => personalFeatures(paperText(paper))),
        disliked: papers.disliked.map((paper) => personalFeatures(paperText(paper))),
        alerted: papers.alerted.map((paper) => personalFeatures(paperText(paper))),
        background: papers.background.map((paper) => personalFeatures(paperText(paper))),
      });
  await db.transaction(async (tx) => {
    if (!sameState(await trainingState(tx, voter), state)) return;
    if (model) await savePersonModel(tx, voter, model, state, now);
    else await deletePersonModel(tx, voter);
  });
  return model
    ? { kind: 'ready', model, positives: papers.liked.length, negatives: papers.disliked.length }
    : { kind: 'waiting', needed: needed ?? { positive: 0, negative: 0 } };
}

/**
 * The person's model, retrained first when it is stale (votes arrived while the process was down,
 * a voted paper was deleted, their alerts brought new papers); null below the vote threshold.
 */
export async function currentPersonModel(db: Database, voter: Voter, now: Date): Promise<LinearModel | null> {
  const stored = await loadPersonModel(db, voter);
  const state = await trainingState(db, voter);
  if (stored && isFresh(stored, state)) return stored.model;
  if (!stored && votesNeeded(...voteCounts(state))) return null;
  const status = await refreshPersonModel(db, voter, now);
  return status.kind === 'ready' ? status.model : null;
}

/**
 * The current models of these people, by `personModelName`: read in two queries, and the stale
 * ones retrained (votes that came in while the process was down, voted papers deleted). People
 * below the vote threshold have none.
 */
export async function personModels(db: Database, voters: readonly Voter[], now: Date): Promise<Map<string, LinearModel>> {
  const stored = await loadPersonModels(db, voters);
  const states = await trainingStates(db, voters);
  const models = new Map<string, LinearModel>();
  for (const voter of voters) {
    const name = personModelName(voter);
    const state = states.get(name) ?? NO_VOTES;
    const model = stored.get(name);
    if (model && isFresh(model, state)) {
      models.set(name, model.model);
      continue;
    }
    if (!model && votesNeeded(...voteCounts(state))) continue;
    const status = await refreshPersonModel(db, voter, now);
    if (status.kind === 'ready') models.set(name, status.model);
  }
  return models;
}

/** 👍 and 👎 from the state's count and sum (each vote is +1 or -1). */
export function voteCounts(state: TrainingState): [positives: number, negatives: number] {
  return [(state.votes + state.sum) / 2, (state.votes - state.sum) / 2];
}

export function isFresh(stored: PersonModel, state: TrainingState): boolean {
  return sameState(stored.state, state);
}
