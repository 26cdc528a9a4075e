/**
 * Splits what a person typed into search or subscription tokens. Total and linear: every input,
 * however hostile (unbalanced or smart quotes, FTS5 operators, SQL, emoji, control characters),
 * becomes tokens; nothing here can fail.
 */
export type Token =
  /** A bare whitespace-separated chunk, as typed (tags, dates and free words are told apart later). */
  | { readonly kind: 'chunk'; readonly text: string }
  /** Text inside quotes; an unclosed quote runs to the end of the input. */
  | { readonly kind: 'phrase'; readonly text: string }
  /** `-word` or `-"a phrase"`; `-tag:Name`, `-author:Name` (and `-like:…`, refused later) say what they exclude in `prefix`. */
  | { readonly kind: 'exclude'; readonly text: string; readonly quoted: boolean; readonly prefix?: 'tag' | 'author' | 'like' }
  /** `author:Name` or `author:"First Last"`. */
  | { readonly kind: 'author'; readonly text: string; readonly quoted: boolean }
  /** `tag:Name`. */
  | { readonly kind: 'tag'; readonly text: string }
  /** `include:dropped`: an option of the search rather than a term. */
  | { readonly kind: 'include'; readonly text: string }
  /** `like:2512.16473`: the papers most similar to that one. */
  | { readonly kind: 'like'; readonly text: string };

// Straight and typographic double quotes: Slack and macOS turn "x" into “x”.
const QUOTES = new Set(['"', '“', '”', '„', '‟', '″', '«', '»']);
const PREFIXES = [
  ['author:', 'author'],
  ['authors:', 'author'],
  ['tag:', 'tag'],
  ['like:', 'like'],
] as const;
const INCLUDE = 'include:';

/** Control and format characters (NUL, ANSI escapes, zero-width joiners) act as spaces. */
export function cleanInput(input: string): string {
  return input.normalize('NFKC').replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ');
}

export function lex(input: string): Token[] {
  const text = cleanInput(input);
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    if (/\s/u.test(text[index] as string)) {
      index++;
      continue;
    }
    if (text.slice(index, index + INCLUDE.length).toLowerCase() === INCLUDE) {
      const [value, next] = readValue(text, index + INCLUDE.length);
      index = next;
      tokens.push({ kind: 'include', text: value.text });
      continue;
    }
    const prefix = PREFIXES.find(([word]) => text.slice(index, index + word.length).toLowerCase() === word);
    if (prefix) {
      index += prefix[0].length;
      while (index < text.length && /\s/u.test(text[index] as string)) index++;
      const [value, next] = readValue(text, index);
      index = next;
      tokens.push(prefix[1] === 'author' ? { kind: 'author', text: value.text, quoted: value.quoted } : { kind: prefix[1], text: value.text });
      continue;
    }
    if (text[index] === '-' && index + 1 < text.length && !/\s/u.test(text[index + 1] as string)) {
      const excluded = PREFIXES.find(([word]) => text.slice(index + 1, index + 1 + word.length).toLowerCase() === word);
      let start = index + 1;
      if (excluded) {
        start += excluded[0].length;
        while (start < text.length && /\s/u.test(text[start] as string)) start++;
      }
      const [value, next] = readValue(text, start);
      index = next;
      tokens.push({ kind: 'exclude', text: value.text, quoted: value.quoted, ...(excluded ? { prefix: excluded[1] } : {}) });
      continue;
    }
    const [value, next] = readValue(text, index);
    index = next;
    tokens.push(value.quoted ? { kind: 'phrase', text: value.text } : { kind: 'chunk', text: value.text });
  }
  return tokens;
}

/** A quoted string or a bare chunk starting at `start`; returns it and the index after it. */
function readValue(text: string, start: number): [{ text: string; quoted: boolean }, number] {
  if (QUOTES.has(text[start] as string)) {
    let end = start + 1;
    while (end < text.length && !QUOTES.has(text[end] as string)) end++;
    return [{ text: text.slice(start + 1, end), quoted: true }, end + 1];
  }
  let end = start;
  while (end < text.length && !/\s/u.test(text[end] as string)) end++;
  return [{ text: text.slice(start, end), quoted: false }, end];
}

// A word starts with a letter or digit; inner apostrophes, dots, hyphens and underscores stay.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}_'.-]*/gu;

/**
 * The searchable words of a piece of text: what survives of it in a full-text query. Punctuation,
 * operators and emoji fall away, so a word can always be quoted safely for FTS5.
 */
export function searchWords(text: string): string[] {
  const words: string[] = [];
  for (const match of cleanInput(text).matchAll(WORD)) {
    const word = match[0].replace(/[_'.-]+$/, '');
    if (word) words.push(word);
  }
  return words;
}

/** A chunk as a tag or time word: lower case, without surrounding punctuation ("MoE," → "moe"). */
export function normalizeChunk(chunk: string): string {
  return chunk.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}
