import { type LinearModel, topContributions } from './linear-model.ts';
import { TAG_FEATURE } from './personal-model.ts';
import type { FeatureVector } from './text-features.ts';

/** Why a paper was picked for a person: the liked paper it is most like, and the words that weighed most. */
export type PickReason = {
  readonly like: { readonly id: string; readonly title: string } | null;
  readonly words: readonly string[];
};

export type LikedPaper = { readonly id: string; readonly title: string; readonly features: FeatureVector };

const WORDS_SHOWN = 3;

/**
 * The "why" of a pick, the way a linear model can give it: the features that raised the paper's
 * score most, up to three, as the paper writes them (`kv cach` → "KV cache", `tag:MoE` → "MoE";
 * a phrase replaces its words shown before it, a word inside a phrase shown is left out); and the
 * paper the person liked that shares the most weighted words with it (the dot product of the two
 * feature vectors), when any shares some.
 */
export function explainPick(model: LinearModel, features: FeatureVector, forms: ReadonlyMap<string, string>, liked: readonly LikedPaper[]): PickReason {
  return { like: nearestLiked(features, liked), words: weightiestWords(model, features, forms) };
}

export function nearestLiked(features: FeatureVector, liked: readonly LikedPaper[]): PickReason['like'] {
  let best: LikedPaper | null = null;
  let bestOverlap = 0;
  for (const paper of liked) {
    let overlap = 0;
    for (const [feature, value] of features) overlap += value * (paper.features.get(feature) ?? 0);
    if (overlap > bestOverlap) {
      best = paper;
      bestOverlap = overlap;
    }
  }
  return best ? { id: best.id, title: best.title } : null;
}

/** The up-to-three words that raised a paper's score most, as the paper writes them. */
export function weightiestWords(model: LinearModel, features: FeatureVector, forms: ReadonlyMap<string, string>): string[] {
  let shown: string[] = [];
  for (const { feature, contribution } of topContributions(model, features, 4 * WORDS_SHOWN)) {
    if (contribution <= 0) break;
    const word = feature.startsWith(TAG_FEATURE) ? feature.slice(TAG_FEATURE.length) : forms.get(feature);
    if (!word || shown.some((other) => containsWords(other, word))) continue;
    // A phrase takes the place of the words of it already shown ("KV" and "cache" → "KV cache").
    const inside = shown.filter((other) => containsWords(word, other));
    if (inside.length) {
      const at = shown.indexOf(inside[0] as string);
      shown = shown.filter((other) => !inside.includes(other));
      shown.splice(at, 0, word);
    } else if (shown.length < WORDS_SHOWN) shown.push(word);
  }
  return shown;
}

/** Whether `phrase` has `words` as whole words, whatever the case ("KV cache" has "cache"). */
function containsWords(phrase: string, words: string): boolean {
  return ` ${phrase.toLowerCase()} `.includes(` ${words.toLowerCase()} `);
}

/**
 * A pick's why as one plain line — `like “Paged attention for LLM serving” · KV cache, MoE` — for
 * every renderer, which escapes it as it escapes any arXiv text (the liked title and the words are
 * a paper's own text).
 */
export function describePick(pick: PickReason): string {
  const parts: string[] = [];
  if (pick.like) parts.push(`like “${pick.like.title.replace(/\s+/g, ' ').trim()}”`);
  if (pick.words.length) parts.push(pick.words.join(', '));
  return parts.join(' · ') || 'your votes';
}
