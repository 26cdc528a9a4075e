import { stemmer } from 'stemmer';

/**
 * Word features of a paper for small linear models (the offline filter's learned part, and later
 * one model per reader): stemmed words and adjacent word pairs of the title and a body text (the
 * abstract, or a TL;DR where there is no abstract), weighted log(1 + count) with title words
 * counting double, and scaled to unit length so a long abstract does not outweigh a short one.
 * Pure and deterministic: the same text always gives the same vector.
 */
export type FeatureVector = ReadonlyMap<string, number>;

/** Words that say nothing about a paper's topic: English function words and abstract boilerplate. */
const STOPWORDS = new Set(
  (
    'a about above across after again against all also an and any are as at be because been before being below between both but by can could ' +
    'did do does doing down during each few for from further had has have having here how however i if in into is it its itself just may ' +
    'more most much must no nor not now of off on once only or other our ours out over own same should so some such than that the their ' +
    'them then there these they this those through thus to too under until up upon us very was we were what when where whether which while ' +
    'who whom why will with within without would yet you your ' +
    'paper propose proposed proposes present presents presented show shows shown demonstrate demonstrates introduce introduces approach ' +
    'approaches method methods novel new result results work works existing based using use used via across achieve achieves achieving ' +
    'compared respectively significantly significant state art extensive experiments evaluation evaluate evaluated first two three one ' +
    'furthermore moreover however various several many different key main well able enable enables make makes'
  ).split(' '),
);

const TITLE_WEIGHT = 2;
/** A word must have this many characters to count (drops "x", units and stray letters). */
const MIN_LENGTH = 2;

/** The words of a text in order, lower case, split at anything but letters and digits; numbers ("2x", "40ms") dropped. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(isWord);
}

function isWord(word: string): boolean {
  return word.length >= MIN_LENGTH && !/^\p{N}/u.test(word);
}

/**
 * Porter stemming costs 1–2 µs a word, most of the time of reading an abstract; abstracts reuse a
 * few tens of thousands of words, so stems are remembered (a pure function's cache: forgotten
 * whole when it grows past a bound, never wrong).
 */
const STEMS = new Map<string, string>();
const MAX_REMEMBERED_STEMS = 100_000;

function stem(word: string): string {
  let stemmed = STEMS.get(word);
  if (stemmed === undefined) {
    if (STEMS.size >= MAX_REMEMBERED_STEMS) STEMS.clear();
    stemmed = stemmer(word);
    STEMS.set(word, stemmed);
  }
  return stemmed;
}

/** The stems of a text's topical words, in order. */
export function stems(text: string): string[] {
  return words(text)
    .filter((word) => !STOPWORDS.has(word))
    .map(stem);
}

export function textFeatures(title: string, body: string): FeatureVector {
  const counts = new Map<string, number>();
  const add = (text: string, weight: number) => {
    const tokens = stems(text);
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as string;
      counts.set(token, (counts.get(token) ?? 0) + weight);
      const next = tokens[index + 1];
      if (next) {
        const pair = `${token} ${next}`;
        counts.set(pair, (counts.get(pair) ?? 0) + weight);
      }
    }
  };
  add(title, TITLE_WEIGHT);
  add(body, 1);
  // Weighted and scaled in place (setting an existing key keeps its place in a Map's order).
  let norm = 0;
  for (const [feature, count] of counts) {
    const value = Math.log1p(count);
    counts.set(feature, value);
    norm += value * value;
  }
  if (norm === 0) return counts;
  const scale = 1 / Math.sqrt(norm);
  for (const [feature, value] of counts) counts.set(feature, value * scale);
  return counts;
}

/**
 * The words as written behind each feature of a text (`cach` → "cache", `kv cach` → "KV cache"), to
 * show people words rather than stems; the first spelling found wins.
 */
export function surfaceForms(...texts: readonly string[]): Map<string, string> {
  const forms = new Map<string, string>();
  for (const text of texts) {
    const written = (text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => {
      const lower = word.toLowerCase();
      return isWord(lower) && !STOPWORDS.has(lower);
    });
    written.forEach((word, index) => {
      const stemmed = stem(word.toLowerCase());
      if (!forms.has(stemmed)) forms.set(stemmed, word);
      const next = written[index + 1];
      if (!next) return;
      const pair = `${stemmed} ${stem(next.toLowerCase())}`;
      if (!forms.has(pair)) forms.set(pair, `${word} ${next}`);
    });
  }
  return forms;
}
