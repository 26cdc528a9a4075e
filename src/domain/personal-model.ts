import { type FtrlSettings, type LinearModel, logOdds, modelOf, type TrainingExample, train } from './linear-model.ts';
import { type FeatureVector, textFeatures } from './text-features.ts';

/**
 * One reader's taste as a small linear model over the words of the papers they voted on: 👍 are
 * positives, 👎 negatives, papers their subscriptions brought them (and they did not dislike) weak
 * positives, and a sample of the archive they never voted on weak negatives — what a liked paper
 * is liked *against* (the way arxiv-sanity ranks a reader's tags: everything else is the negative
 * class). The same FTRL-Proximal learner as the offline filter (linear-model.ts): it needs no
 * dependency, trains a few hundred examples in milliseconds, keeps the model sparse (L1) so 5,000
 * readers fit in memory, and a linear model can say which words weighed most.
 */
export const MIN_POSITIVE_VOTES = 5;
export const MIN_NEGATIVE_VOTES = 3;

/**
 * How a person's model learns: how much each kind of example counts (a vote is the person's word,
 * the others are guesses), how many papers of the archive make the background, the learner's
 * settings and passes. Chosen on the learning curve (`npm run bench personal`).
 */
export type PersonalTraining = {
  readonly weights: { readonly vote: number; readonly alerted: number; readonly background: number };
  readonly backgroundPapers: number;
  readonly ftrl: FtrlSettings;
  readonly epochs: number;
};

export const PERSONAL_TRAINING: PersonalTraining = {
  weights: { vote: 1, alerted: 0.3, background: 0.15 },
  backgroundPapers: 50,
  // A strong L1 keeps a model to a few hundred words (5,000 readers in a few MB) at no cost in precision.
  ftrl: { alpha: 2, beta: 1, l1: 0.4, l2: 0.5 },
  epochs: 8,
};

/** What a personal model reads of a paper: title, abstract and TL;DR, and the tags the filter gave it. */
export type PaperText = { readonly title: string; readonly abstract: string; readonly tldr: string | null; readonly tags: readonly string[] };

/**
 * A tag is a feature `tag:<name>` beside the words, worth about as much as a title word: readers
 * think in the vocabulary's topics (they subscribe to them), and a tag names the topic of a paper
 * that may not use its word (`MoE` for "expert routing"). 0.4 on the learning curve; without tags
 * precision@5 after 25 votes is a fifth lower (the bench prints both).
 */
export const TAG_FEATURE = 'tag:';
export const TAG_VALUE = 0.4;

export function personalFeatures(paper: PaperText, tagValue = TAG_VALUE): FeatureVector {
  const features = textFeatures(paper.title, paper.tldr ? `${paper.abstract}\n${paper.tldr}` : paper.abstract) as Map<string, number>;
  if (tagValue > 0) for (const tag of paper.tags) features.set(`${TAG_FEATURE}${tag}`, tagValue);
  return features;
}

/** How pages and emails name "Picked for you" among what a person follows. */
export const PICKED_FOR_YOU = 'papers picked for you by your votes';

/** How many more 👍 and 👎 a person needs before anything is personal; null when they have enough. */
export function votesNeeded(positives: number, negatives: number): { readonly positive: number; readonly negative: number } | null {
  const positive = Math.max(0, MIN_POSITIVE_VOTES - positives);
  const negative = Math.max(0, MIN_NEGATIVE_VOTES - negatives);
  return positive === 0 && negative === 0 ? null : { positive, negative };
}

/** "3 more 👍 (relevant) and 1 more 👎 (not relevant)": for replies. */
export function describeVotesNeeded(needed: { readonly positive: number; readonly negative: number }): string {
  const parts: string[] = [];
  if (needed.positive) parts.push(`${needed.positive} more 👍 (relevant)`);
  if (needed.negative) parts.push(`${needed.negative} more 👎 (not relevant)`);
  return parts.join(' and ');
}

/** What a person's model learns from, as features. */
export type PersonalExamples = {
  readonly liked: readonly FeatureVector[];
  readonly disliked: readonly FeatureVector[];
  readonly alerted: readonly FeatureVector[];
  readonly background: readonly FeatureVector[];
};

export function trainPersonalModel(examples: PersonalExamples, training: PersonalTraining = PERSONAL_TRAINING): LinearModel {
  const { weights } = training;
  const all: TrainingExample[] = [
    ...examples.liked.map((features) => ({ features, label: true, weight: weights.vote })),
    ...examples.disliked.map((features) => ({ features, label: false, weight: weights.vote })),
    ...examples.alerted.map((features) => ({ features, label: true, weight: weights.alerted })),
    ...examples.background.slice(0, training.backgroundPapers).map((features) => ({ features, label: false, weight: weights.background })),
  ];
  return modelOf(train(all, { settings: training.ftrl, epochs: training.epochs }));
}

/** The person's score of a paper: log-odds that they would like it (comparable between papers, not between people). */
export function personalScore(model: LinearModel, features: FeatureVector): number {
  return logOdds(model, features);
}
