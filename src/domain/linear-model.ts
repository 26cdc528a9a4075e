import { seededRandom } from './seeded-random.ts';
import type { FeatureVector } from './text-features.ts';

/**
 * Logistic regression over sparse features, learned with FTRL-Proximal (McMahan et al., "Ad Click
 * Prediction: a View from the Trenches", KDD 2013): per-feature learning rates, L1 that keeps the
 * weights sparse (a model holds only words that matter) and L2 that keeps them small. It learns
 * one example at a time, so a vote can update a model at once, and a full retrain is a few passes
 * over the examples. An example may carry an `offset`, a prior log-odds the model corrects rather
 * than replaces (the offline filter's rule score), and a `weight` (a vote counts more than a guess).
 */
export type TrainingExample = {
  readonly features: FeatureVector;
  readonly label: boolean;
  readonly weight?: number;
  readonly offset?: number;
};

export type FtrlSettings = {
  /** Learn an intercept (a shift of every score); off when the offset already carries the calibration. */
  readonly intercept?: boolean;
  /** Learning-rate scale. */
  readonly alpha: number;
  /** Learning-rate smoothing (1 is the usual choice). */
  readonly beta: number;
  readonly l1: number;
  readonly l2: number;
};

export const DEFAULT_FTRL: FtrlSettings = { alpha: 0.5, beta: 1, l1: 0.05, l2: 1 };

/** The learner's state: z and n per feature (the intercept is the feature ""). Plain data, storable as JSON. */
export type FtrlState = { readonly settings: FtrlSettings; readonly z: Map<string, number>; readonly n: Map<string, number>; examples: number };

/** What predicting needs: the non-zero weights. */
export type LinearModel = { readonly intercept: number; readonly weights: ReadonlyMap<string, number>; readonly examples: number };

export const EMPTY_MODEL: LinearModel = { intercept: 0, weights: new Map(), examples: 0 };

const INTERCEPT = '';
/** Keeps exp() finite: log-odds beyond ±35 are certainty in double precision anyway. */
const MAX_LOGIT = 35;

export function createFtrl(settings: FtrlSettings = DEFAULT_FTRL): FtrlState {
  return { settings, z: new Map(), n: new Map(), examples: 0 };
}

function weightOf(state: FtrlState, feature: string): number {
  const z = state.z.get(feature) ?? 0;
  const { alpha, beta, l1, l2 } = state.settings;
  if (Math.abs(z) <= l1) return 0;
  const n = state.n.get(feature) ?? 0;
  return -(z - Math.sign(z) * l1) / ((beta + Math.sqrt(n)) / alpha + l2);
}

/** One FTRL step on one example; returns the predicted probability before the step. */
export function learn(state: FtrlState, example: TrainingExample): number {
  const entries: [string, number][] = state.settings.intercept === false ? [...example.features] : [[INTERCEPT, 1], ...example.features];
  let logit = example.offset ?? 0;
  const weights = entries.map(([feature, value]) => {
    const weight = weightOf(state, feature);
    logit += weight * value;
    return weight;
  });
  const probability = sigmoid(logit);
  const error = (probability - (example.label ? 1 : 0)) * (example.weight ?? 1);
  entries.forEach(([feature, value], index) => {
    const gradient = error * value;
    const n = state.n.get(feature) ?? 0;
    const sigma = (Math.sqrt(n + gradient * gradient) - Math.sqrt(n)) / state.settings.alpha;
    state.z.set(feature, (state.z.get(feature) ?? 0) + gradient - sigma * (weights[index] as number));
    state.n.set(feature, n + gradient * gradient);
  });
  state.examples++;
  return probability;
}

/**
 * Trains from scratch: `epochs` passes over the examples, each in a fixed pseudo-random order
 * (seeded, so the same examples always give the same model). The same arithmetic as `learn`, on
 * features numbered once (in the order the first pass meets them) and kept in typed arrays: string
 * keys looked up in Maps made a few hundred examples cost a few hundred milliseconds, numbered
 * ones cost a few (one model per reader is retrained on every vote).
 */
export function train(examples: readonly TrainingExample[], options: { settings?: FtrlSettings; epochs?: number; seed?: number } = {}): FtrlState {
  const settings = options.settings ?? DEFAULT_FTRL;
  const epochs = options.epochs ?? 8;
  if (epochs <= 0 || examples.length === 0) return createFtrl(settings);
  const order = examples.map((_, index) => index);
  const random = seededRandom(options.seed ?? 1);
  shuffle(order, random);
  const numbered = numberFeatures(examples, order, settings.intercept !== false);
  const z = new Float64Array(numbered.names.length);
  const n = new Float64Array(numbered.names.length);
  const { alpha, beta, l1, l2 } = settings;
  const weightAt = (id: number): number => {
    const zi = z[id] as number;
    if (Math.abs(zi) <= l1) return 0;
    return -(zi - Math.sign(zi) * l1) / ((beta + Math.sqrt(n[id] as number)) / alpha + l2);
  };
  let scratch = new Float64Array(64);
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (epoch > 0) shuffle(order, random);
    for (const index of order) {
      const example = examples[index] as TrainingExample;
      const ids = numbered.ids[index] as Int32Array;
      const values = numbered.values[index] as Float64Array;
      if (scratch.length < ids.length) scratch = new Float64Array(ids.length * 2);
      let logit = example.offset ?? 0;
      for (let k = 0; k < ids.length; k++) {
        const weight = weightAt(ids[k] as number);
        scratch[k] = weight;
        logit += weight * (values[k] as number);
      }
      const error = (sigmoid(logit) - (example.label ? 1 : 0)) * (example.weight ?? 1);
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k] as number;
        const gradient = error * (values[k] as number);
        const ni = n[id] as number;
        const sigma = (Math.sqrt(ni + gradient * gradient) - Math.sqrt(ni)) / alpha;
        z[id] = (z[id] as number) + gradient - sigma * (scratch[k] as number);
        n[id] = ni + gradient * gradient;
      }
    }
  }
  const state = createFtrl(settings);
  numbered.names.forEach((name, id) => {
    state.z.set(name, z[id] as number);
    state.n.set(name, n[id] as number);
  });
  state.examples = epochs * examples.length;
  return state;
}

/** Each example's features as numbers (the intercept first when learned), numbered in the order `order` meets them. */
function numberFeatures(
  examples: readonly TrainingExample[],
  order: readonly number[],
  intercept: boolean,
): { names: string[]; ids: Int32Array[]; values: Float64Array[] } {
  const idOf = new Map<string, number>();
  const names: string[] = [];
  const ids: Int32Array[] = new Array(examples.length);
  const values: Float64Array[] = new Array(examples.length);
  const number = (name: string): number => {
    let id = idOf.get(name);
    if (id === undefined) {
      id = names.length;
      idOf.set(name, id);
      names.push(name);
    }
    return id;
  };
  for (const index of order) {
    const features = (examples[index] as TrainingExample).features;
    const size = features.size + (intercept ? 1 : 0);
    const exampleIds = new Int32Array(size);
    const exampleValues = new Float64Array(size);
    let k = 0;
    if (intercept) {
      exampleIds[k] = number(INTERCEPT);
      exampleValues[k++] = 1;
    }
    for (const [feature, value] of features) {
      exampleIds[k] = number(feature);
      exampleValues[k++] = value;
    }
    ids[index] = exampleIds;
    values[index] = exampleValues;
  }
  return { names, ids, values };
}

export function modelOf(state: FtrlState): LinearModel {
  const weights = new Map<string, number>();
  let intercept = 0;
  for (const feature of state.z.keys()) {
    const weight = weightOf(state, feature);
    if (weight === 0) continue;
    if (feature === INTERCEPT) intercept = weight;
    else weights.set(feature, weight);
  }
  return { intercept, weights, examples: state.examples };
}

/** The model's log-odds for a feature vector, on top of an offset. */
export function logOdds(model: LinearModel, features: FeatureVector, offset = 0): number {
  let logit = offset + model.intercept;
  for (const [feature, value] of features) logit += (model.weights.get(feature) ?? 0) * value;
  return logit;
}

export function probability(model: LinearModel, features: FeatureVector, offset = 0): number {
  return sigmoid(logOdds(model, features, offset));
}

export type Contribution = { readonly feature: string; readonly weight: number; readonly contribution: number };

/** The features that moved this score most, largest |weight × value| first: the "why" of a linear model. */
export function topContributions(model: LinearModel, features: FeatureVector, count: number): Contribution[] {
  const contributions: Contribution[] = [];
  for (const [feature, value] of features) {
    const weight = model.weights.get(feature);
    if (weight) contributions.push({ feature, weight, contribution: weight * value });
  }
  return contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, count);
}

/** The strongest weights of the model in each direction: what it learned. */
export function topWeights(model: LinearModel, count: number): { positive: [string, number][]; negative: [string, number][] } {
  const sorted = [...model.weights].sort((a, b) => b[1] - a[1]);
  return {
    positive: sorted.slice(0, count).filter(([, w]) => w > 0),
    negative: sorted
      .reverse()
      .slice(0, count)
      .filter(([, w]) => w < 0),
  };
}

/** Compact JSON for a model (weights rounded to 6 significant digits). */
export function serializeModel(model: LinearModel): string {
  return JSON.stringify({
    intercept: model.intercept,
    examples: model.examples,
    weights: [...model.weights].map(([feature, weight]) => [feature, Number(weight.toPrecision(6))]),
  });
}

export function deserializeModel(json: string): LinearModel {
  const parsed = JSON.parse(json) as { intercept: number; examples: number; weights: [string, number][] };
  return { intercept: parsed.intercept, examples: parsed.examples, weights: new Map(parsed.weights) };
}

/** The learner's full state as JSON, to continue learning incrementally after a restart. */
export function serializeState(state: FtrlState): string {
  return JSON.stringify({ settings: state.settings, examples: state.examples, z: [...state.z], n: [...state.n] });
}

export function deserializeState(json: string): FtrlState {
  const parsed = JSON.parse(json) as { settings: FtrlSettings; examples: number; z: [string, number][]; n: [string, number][] };
  return { settings: parsed.settings, examples: parsed.examples, z: new Map(parsed.z), n: new Map(parsed.n) };
}

function sigmoid(logit: number): number {
  const clamped = Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, logit));
  return 1 / (1 + Math.exp(-clamped));
}

function shuffle(items: number[], random: () => number): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other] as number, items[index] as number];
  }
}
