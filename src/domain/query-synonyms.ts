import type { TagVocabulary } from './tags.ts';

/**
 * Ways people name tags when they search or subscribe, on top of the vocabulary's own synonyms.
 * Query-only on purpose: the vocabulary's synonyms also correct LLM answers, where `agents` or
 * `model serving` must not silently become a tag. An entry applies only when its tag is in the
 * configured vocabulary.
 */
export const QUERY_SYNONYMS: Readonly<Record<string, string>> = {
  moe: 'MoE',
  'mixture of experts': 'MoE',
  'mixture-of-experts': 'MoE',
  'mixture of expert': 'MoE',
  inference: 'serving',
  'llm inference': 'serving',
  'model serving': 'serving',
  'inference serving': 'serving',
  multimodal: 'multi-modal',
  'multi modal': 'multi-modal',
  quant: 'quantization',
  quantisation: 'quantization',
  quantize: 'quantization',
  quantized: 'quantization',
  rl: 'RL',
  rlhf: 'RL',
  'reinforcement learning': 'RL',
  agent: 'agentic',
  agents: 'agentic',
  'llm agent': 'agentic',
  'diffusion models': 'diffusion',
  'diffusion model': 'diffusion',
  'on device': 'edge',
  'edge devices': 'edge',
  accelerator: 'hardware',
};

const longestPhrase = new WeakMap<TagVocabulary, number>();

/** The longest tag name or synonym, in words: how far ahead the parser looks for a multi-word tag. */
function longestTagPhrase(vocabulary: TagVocabulary): number {
  const known = longestPhrase.get(vocabulary);
  if (known !== undefined) return known;
  const phrases = [...Object.keys(QUERY_SYNONYMS), ...vocabulary.tags.flatMap((tag) => [tag.name, ...tag.synonyms])];
  const longest = Math.max(1, ...phrases.map((phrase) => phrase.split(/\s+/).length));
  longestPhrase.set(vocabulary, longest);
  return longest;
}

/** The longest tag name or synonym that starts at `lower[index]` (normalized chunks), or null. */
export function readTag(lower: readonly string[], index: number, vocabulary: TagVocabulary): { name: string; length: number } | null {
  for (let length = Math.min(longestTagPhrase(vocabulary), lower.length - index); length >= 1; length--) {
    const phrase = lower.slice(index, index + length).join(' ');
    const name = phrase ? resolveQueryTag(vocabulary, phrase) : null;
    if (name) return { name, length };
  }
  return null;
}

/** The canonical tag for a lower-case word or phrase, through the vocabulary then the query synonyms. */
export function resolveQueryTag(vocabulary: TagVocabulary, phrase: string): string | null {
  const direct = vocabulary.resolve(phrase);
  if (direct) return direct;
  const target = QUERY_SYNONYMS[phrase.trim().toLowerCase()];
  return target ? vocabulary.resolve(target) : null;
}

/**
 * Words that carry no meaning in a search ("papers about the …"). Dropped from free text and
 * keywords (they would only require a word every abstract has), kept inside quoted phrases.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a',
  'about',
  'an',
  'and',
  'any',
  'are',
  'as',
  'at',
  'be',
  'by',
  'find',
  'for',
  'from',
  'in',
  'into',
  'is',
  'it',
  'me',
  'of',
  'on',
  'or',
  'paper',
  'papers',
  'show',
  'the',
  'to',
  'via',
  'with',
]);
