/**
 * The learning curve of the per-person model: simulated readers whose true interest is a hidden
 * mix (two tags plus one keyword theme) vote, day by day, on the five papers they are shown; after
 * 0, 10, 25 and 50 votes their model ranks the papers of held-out weeks, next to ranking by
 * recency and by their subscription (one of their two tags) alone. Precision@5 per week.
 */

import { logOdds } from '../src/domain/linear-model.ts';
import { type PaperText, PERSONAL_TRAINING, type PersonalTraining, personalFeatures, trainPersonalModel, votesNeeded } from '../src/domain/personal-model.ts';
import type { FeatureVector } from '../src/domain/text-features.ts';
import { mulberry32 } from './realistic-day.ts';

export type CorpusPaper = PaperText & { readonly id: string; readonly day: string; readonly tags: readonly string[] };

/** Keyword themes a reader may follow beside tags: a paper is in the theme when its text has any of the words. */
const THEMES: readonly (readonly string[])[] = [
  ['speculative', 'draft model'],
  ['kv cache', 'kv-cache'],
  ['federated'],
  ['energy', 'power consumption', 'carbon'],
  ['scheduling', 'scheduler'],
  ['rdma', 'interconnect', 'nvlink'],
  ['compiler', 'triton'],
  ['fault', 'failure', 'resilien'],
  ['serverless'],
  ['graph neural', 'gnn'],
  ['privacy', 'secure', 'attack'],
  ['long context', 'long-context'],
];

export const CHECKPOINTS = [0, 10, 25, 50] as const;
const SHOWN = 5;
/** Votes come from the first 60 % of the days; the rest, grouped in weeks, are where picks are measured. */
const TRAIN_SHARE = 0.6;

type Reader = { readonly tags: readonly string[]; readonly theme: readonly string[]; readonly subscribed: string };

export type CurveRow = {
  readonly votes: number;
  /** Readers with ≥ 5 👍 and ≥ 3 👎 among these votes: the only ones who get picks. */
  readonly pastGate: number;
  readonly recency: number;
  readonly subscription: number;
  readonly model: number;
  /** The product's picks: only papers outside the person's subscription, by the model and by recency. */
  readonly picks: number;
  readonly picksRecency: number;
  /** Non-zero weights of a model, on average: what a person costs in memory. */
  readonly weights: number;
};

export type Curve = { readonly readers: number; readonly testWeeks: number; readonly prevalence: number; readonly rows: readonly CurveRow[] };

export type CurveOptions = { readonly training?: PersonalTraining; readonly tagValue?: number; readonly seed?: number };

export function learningCurve(corpus: readonly CorpusPaper[], readerCount: number, options: CurveOptions = {}): Curve {
  const training = options.training ?? PERSONAL_TRAINING;
  const random = mulberry32(options.seed ?? 11);
  const features = new Map(corpus.map((paper) => [paper.id, personalFeatures(paper, options.tagValue)]));
  const days = [...new Set(corpus.map((paper) => paper.day))].sort();
  const trainDays = days.slice(0, Math.round(days.length * TRAIN_SHARE));
  const testWeeks = weeks(corpus.filter((paper) => paper.day > (trainDays.at(-1) as string)));
  const byDay = new Map(days.map((day) => [day, corpus.filter((paper) => paper.day === day)]));
  const tagCounts = new Map<string, number>();
  for (const paper of corpus) for (const tag of paper.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  const commonTags = [...tagCounts].filter(([, count]) => count >= 15).map(([tag]) => tag);
  const sums = CHECKPOINTS.map((votes) => ({ votes, pastGate: 0, recency: 0, subscription: 0, model: 0, picks: 0, picksRecency: 0, weights: 0 }));
  let prevalence = 0;
  let readers = 0;
  while (readers < readerCount) {
    const reader = drawReader(commonTags, random);
    const likes = (paper: CorpusPaper) => isInteresting(reader, paper);
    const share = testWeeks.flat().filter(likes).length / Math.max(1, testWeeks.flat().length);
    // A reader with (almost) nothing to like in the test weeks measures nothing.
    if (share < 0.05) continue;
    readers++;
    prevalence += share;
    const snapshots = simulateVotes(reader, trainDays, byDay, features, likes, training);
    snapshots.forEach((snapshot, index) => {
      const row = sums[index] as (typeof sums)[number];
      const model = trainPersonalModel(snapshot.examples, training);
      if (!votesNeeded(snapshot.positives, snapshot.negatives)) row.pastGate++;
      row.weights += model.weights.size;
      const score = (paper: CorpusPaper) => logOdds(model, features.get(paper.id) as FeatureVector);
      const subscribed = (paper: CorpusPaper) => paper.tags.includes(reader.subscribed);
      for (const week of testWeeks) {
        const outside = week.filter((paper) => !subscribed(paper));
        row.recency += precisionAt(byRecency(week), likes);
        row.subscription += precisionAt(bySubscription(week, subscribed), likes);
        row.model += precisionAt(byScore(week, score), likes);
        row.picks += precisionAt(byScore(outside, score), likes);
        row.picksRecency += precisionAt(byRecency(outside), likes);
      }
    });
  }
  const per = readers * testWeeks.length;
  return {
    readers,
    testWeeks: testWeeks.length,
    prevalence: prevalence / readers,
    rows: sums.map((row) => ({
      votes: row.votes,
      pastGate: row.pastGate,
      recency: row.recency / per,
      subscription: row.subscription / per,
      model: row.model / per,
      picks: row.picks / per,
      picksRecency: row.picksRecency / per,
      weights: row.weights / readers,
    })),
  };
}

function drawReader(tags: readonly string[], random: () => number): Reader {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const first = pick(tags);
  let second = pick(tags);
  while (second === first) second = pick(tags);
  return { tags: [first, second], theme: pick(THEMES), subscribed: first };
}

function isInteresting(reader: Reader, paper: CorpusPaper): boolean {
  if (paper.tags.some((tag) => reader.tags.includes(tag))) return true;
  const text = `${paper.title} ${paper.abstract} ${paper.tldr ?? ''}`.toLowerCase();
  return reader.theme.some((word) => text.includes(word));
}

type Snapshot = {
  readonly positives: number;
  readonly negatives: number;
  readonly examples: { liked: FeatureVector[]; disliked: FeatureVector[]; alerted: FeatureVector[]; background: FeatureVector[] };
};

/**
 * Day by day through the training days: the reader is shown five papers of the day — by their
 * model once it passed the gate, before that their subscription's matches first (what alerts and
 * the digest put in front of them) — and votes on each, honestly. Papers their subscription
 * matched are weak positives unless voted down; papers of past days they never voted on are the
 * background. A snapshot of what the model would learn from is taken at each checkpoint.
 */
function simulateVotes(
  reader: Reader,
  trainDays: readonly string[],
  byDay: ReadonlyMap<string, readonly CorpusPaper[]>,
  features: ReadonlyMap<string, FeatureVector>,
  likes: (paper: CorpusPaper) => boolean,
  training: PersonalTraining,
): Snapshot[] {
  const votes = new Map<string, boolean>();
  const voted: CorpusPaper[] = [];
  /** Papers of the days gone by. */
  const seen: CorpusPaper[] = [];
  const snapshots: Snapshot[] = [];
  const featuresOf = (paper: CorpusPaper) => features.get(paper.id) as FeatureVector;
  const subscribed = (paper: CorpusPaper) => paper.tags.includes(reader.subscribed);
  const snapshot = (): Snapshot => {
    const liked = voted.filter((paper) => votes.get(paper.id));
    const disliked = voted.filter((paper) => !votes.get(paper.id));
    return {
      positives: liked.length,
      negatives: disliked.length,
      examples: {
        liked: liked.map(featuresOf),
        disliked: disliked.map(featuresOf),
        alerted: seen.filter((paper) => subscribed(paper) && !votes.has(paper.id)).map(featuresOf),
        // The newest first, as the archive gives them.
        background: seen
          .filter((paper) => !votes.has(paper.id) && !subscribed(paper))
          .slice(-training.backgroundPapers)
          .reverse()
          .map(featuresOf),
      },
    };
  };
  const last = CHECKPOINTS[CHECKPOINTS.length - 1] as number;
  let model: ReturnType<typeof trainPersonalModel> | null = null;
  snapshots.push(snapshot());
  for (const day of trainDays) {
    if (voted.length >= last) break;
    const papers = byDay.get(day) ?? [];
    const current = model;
    const shown = current ? byScore(papers, (paper) => logOdds(current, featuresOf(paper))) : bySubscription(papers, subscribed);
    for (const paper of shown.slice(0, SHOWN)) {
      if (voted.length >= last) break;
      votes.set(paper.id, likes(paper));
      voted.push(paper);
      if ((CHECKPOINTS as readonly number[]).includes(voted.length)) snapshots.push(snapshot());
    }
    seen.push(...papers);
    const state = snapshot();
    model = votesNeeded(state.positives, state.negatives) ? null : trainPersonalModel(state.examples, training);
  }
  // A reader who ran out of days before a checkpoint keeps their last state for the rest.
  while (snapshots.length < CHECKPOINTS.length) snapshots.push(snapshot());
  return snapshots;
}

function weeks(papers: readonly CorpusPaper[]): CorpusPaper[][] {
  const byWeek = new Map<string, CorpusPaper[]>();
  for (const paper of papers) {
    const week = weekOf(paper.day);
    const list = byWeek.get(week) ?? [];
    list.push(paper);
    byWeek.set(week, list);
  }
  return [...byWeek.values()].filter((week) => week.length >= 2 * SHOWN);
}

/** The Monday of a day's week. */
function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** Newest day first; within a day, the order of the listing. */
function byRecency(papers: readonly CorpusPaper[]): CorpusPaper[] {
  return papers
    .map((paper, index) => ({ paper, index }))
    .sort((a, b) => b.paper.day.localeCompare(a.paper.day) || a.index - b.index)
    .map(({ paper }) => paper);
}

function bySubscription(papers: readonly CorpusPaper[], subscribed: (paper: CorpusPaper) => boolean): CorpusPaper[] {
  const ordered = byRecency(papers);
  return [...ordered.filter(subscribed), ...ordered.filter((paper) => !subscribed(paper))];
}

function byScore(papers: readonly CorpusPaper[], score: (paper: CorpusPaper) => number): CorpusPaper[] {
  return byRecency(papers)
    .map((paper) => ({ paper, score: score(paper) }))
    .sort((a, b) => b.score - a.score)
    .map(({ paper }) => paper);
}

function precisionAt(ranked: readonly CorpusPaper[], likes: (paper: CorpusPaper) => boolean): number {
  const top = ranked.slice(0, SHOWN);
  return top.length === 0 ? 0 : top.filter(likes).length / SHOWN;
}
