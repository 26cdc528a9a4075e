import type { LinearModel } from './linear-model.ts';
import type { FeatureVector } from './text-features.ts';

/**
 * A day's papers as numbered sparse vectors over the day's own words, to score them for thousands
 * of people: a model's weights are laid out once over the day's words (a hundred or so lookups),
 * then each paper is a few hundred typed-array reads. Looking every word of every paper up in each
 * model's Map cost 10 µs a score — 5 s for 100 papers × 5,000 people.
 */
export type Sparse = { readonly ids: Int32Array; readonly values: Float64Array };

export type DayIndex = {
  /** Word → number, for every word of the day's papers. */
  readonly words: ReadonlyMap<string, number>;
  readonly papers: readonly Sparse[];
};

export function indexDay(vectors: readonly FeatureVector[]): DayIndex {
  const words = new Map<string, number>();
  const papers = vectors.map((vector) => {
    const ids = new Int32Array(vector.size);
    const values = new Float64Array(vector.size);
    let k = 0;
    for (const [word, value] of vector) {
      let id = words.get(word);
      if (id === undefined) {
        id = words.size;
        words.set(word, id);
      }
      ids[k] = id;
      values[k++] = value;
    }
    return { ids, values };
  });
  return { words, papers };
}

/** A vector (a liked paper) restricted to the day's words: all that can overlap with the day's papers. */
export function project(day: DayIndex, vector: FeatureVector): Sparse {
  const ids: number[] = [];
  const values: number[] = [];
  for (const [word, value] of vector) {
    const id = day.words.get(word);
    if (id === undefined) continue;
    ids.push(id);
    values.push(value);
  }
  return { ids: Int32Array.from(ids), values: Float64Array.from(values) };
}

/** A paper of the day as a dense vector over the day's words (for overlaps with projected vectors). */
export function dense(day: DayIndex, paper: number): Float64Array {
  const vector = new Float64Array(day.words.size);
  const { ids, values } = day.papers[paper] as Sparse;
  for (let k = 0; k < ids.length; k++) vector[ids[k] as number] = values[k] as number;
  return vector;
}

export function dot(sparse: Sparse, vector: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < sparse.ids.length; k++) sum += (sparse.values[k] as number) * (vector[sparse.ids[k] as number] as number);
  return sum;
}

/**
 * Scores every paper of the day with one model: the same log-odds as `logOdds` (the same sums in
 * the same order). `scratch` is a zeroed array of the day's size, reused between models and left zeroed.
 */
export function scoreDay(day: DayIndex, model: LinearModel, scratch: Float64Array): Float64Array {
  const touched: number[] = [];
  for (const [word, weight] of model.weights) {
    const id = day.words.get(word);
    if (id === undefined) continue;
    scratch[id] = weight;
    touched.push(id);
  }
  const scores = new Float64Array(day.papers.length);
  day.papers.forEach((paper, index) => {
    let logit = model.intercept;
    for (let k = 0; k < paper.ids.length; k++) logit += (scratch[paper.ids[k] as number] as number) * (paper.values[k] as number);
    scores[index] = logit;
  });
  for (const id of touched) scratch[id] = 0;
  return scores;
}
