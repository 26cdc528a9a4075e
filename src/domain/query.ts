import { parseArxivId } from './arxiv-id.ts';
import { UserError } from './errors.ts';
import { lex, normalizeChunk, searchWords, type Token } from './query-lexer.ts';
import { readTag, resolveQueryTag, STOPWORDS } from './query-synonyms.ts';
import type { TagVocabulary } from './tags.ts';
import { type DayRange, intersectRanges, readTimePhrase, TOKEN_BOUNDARY } from './time-phrases.ts';

export type { DayRange } from './time-phrases.ts';

/** One side of an OR: a tag, text (one word, or a phrase: its words joined by one space) or an author. */
export type Alternative = { readonly kind: 'tag' | 'text' | 'author'; readonly value: string };

/**
 * A parsed `/papers` query. Free text is kept as normalized words (letters, digits and inner
 * `'.-_`), so every string here is safe to quote for FTS5 and contains no backticks.
 */
export type Query = {
  /** Canonical tag names; a paper must carry all of them. */
  readonly tags: readonly string[];
  readonly words: readonly string[];
  /** Each phrase is its words joined by one space. */
  readonly phrases: readonly string[];
  /** `MoE OR serving`: a paper must match at least one alternative of every group (each has two or more). */
  readonly anyOf: readonly (readonly Alternative[])[];
  /** Words or phrases a paper must not contain. */
  readonly excluded: readonly string[];
  /** Tags a paper must not carry (`-MoE`: a tag word excludes the tag, as a tag word selects it). */
  readonly excludedTags: readonly string[];
  readonly authors: readonly string[];
  /** `-author:Name`: authors a paper must not list. */
  readonly excludedAuthors: readonly string[];
  /** Announcement days, inclusive; null when the query names no time. */
  readonly range: DayRange | null;
  /** How the time filter was written ("last week"), for explanations. */
  readonly rangeLabel: string | null;
  /**
   * `include:dropped`: papers the filter left out and papers the group marked not relevant are
   * searched too (by default a search sees only the archive's relevant papers the group kept).
   */
  readonly includeDropped?: boolean;
  /**
   * `like:2512.16473`: the papers most similar to this one (an arXiv base id), filtered by the
   * dates and tags; absent otherwise. It combines with no text (see `parseQuery`).
   */
  readonly like?: string;
};

export type QueryContext = {
  readonly vocabulary: TagVocabulary;
  /** Today in the caller's time zone (else the configured one), YYYY-MM-DD. */
  readonly today: string;
};

export const MAX_QUERY_CHARACTERS = 500;
export const MAX_QUERY_TERMS = 24;

export const EMPTY_QUERY: Query = {
  tags: [],
  words: [],
  phrases: [],
  anyOf: [],
  excluded: [],
  excludedTags: [],
  authors: [],
  excludedAuthors: [],
  range: null,
  rangeLabel: null,
};

type Draft = {
  tags: string[];
  words: string[];
  phrases: string[];
  anyOf: Alternative[][];
  excluded: string[];
  excludedTags: string[];
  authors: string[];
  excludedAuthors: string[];
  range: DayRange | null;
  labels: string[];
  includeDropped: boolean;
  like: string | null;
};

/**
 * What the first pass makes of the input, in order. A `term` can be one side of an OR; `fixed` is a
 * date or an exclusion, already applied, which OR cannot join. Little words and punctuation leave
 * no unit: `serving or the training` joins serving and training.
 */
type Unit =
  | { readonly kind: 'term'; readonly alternative: Alternative; readonly alone: (draft: Draft) => void }
  | { readonly kind: 'or' }
  | { readonly kind: 'fixed'; readonly what: 'date' | 'exclusion' | 'option' | 'like' };

/**
 * Parses the query language: tags by name or synonym (several = all of them), time phrases, free
 * text (`words`, `"phrases"`, `-excluded`, `not word`, `author:Name`, `tag:Name`, `-tag:Name`,
 * `-author:Name`), and `OR` (or `or`) between two of tags, words, phrases and authors. OR binds
 * tighter than the implicit AND: `kv MoE OR serving` is kv AND (MoE OR serving). `like:<arXiv id>`
 * asks for the papers most similar to one paper, and combines with dates and tags only: similarity
 * ranks, so words would have no ranking of their own left to do. Pure and linear in the input; a
 * mistake the person can fix is a UserError, anything else parses.
 */
export function parseQuery(input: string, context: QueryContext): Query {
  if (input.length > MAX_QUERY_CHARACTERS) {
    throw new UserError(`That query is ${input.length.toLocaleString('en-US')} characters long; keep it under ${MAX_QUERY_CHARACTERS}.`);
  }
  const draft: Draft = {
    tags: [],
    words: [],
    phrases: [],
    anyOf: [],
    excluded: [],
    excludedTags: [],
    authors: [],
    excludedAuthors: [],
    range: null,
    labels: [],
    includeDropped: false,
    like: null,
  };
  combine(readUnits(input, draft, context), draft);
  if (draft.like) requireNoText(draft);
  const terms =
    draft.words.length +
    draft.phrases.length +
    draft.excluded.length +
    draft.excludedTags.length +
    draft.authors.length +
    draft.excludedAuthors.length +
    draft.tags.length +
    (draft.like ? 1 : 0) +
    draft.anyOf.reduce((sum, group) => sum + group.length, 0);
  if (terms > MAX_QUERY_TERMS) throw new UserError(`That query has ${terms} terms; use at most ${MAX_QUERY_TERMS}.`);
  return {
    tags: draft.tags,
    words: draft.words,
    phrases: draft.phrases,
    anyOf: draft.anyOf,
    excluded: draft.excluded,
    excludedTags: draft.excludedTags,
    authors: draft.authors,
    excludedAuthors: draft.excludedAuthors,
    range: draft.range,
    rangeLabel: draft.labels.length ? draft.labels.join(' and ') : null,
    ...(draft.includeDropped ? { includeDropped: true } : {}),
    ...(draft.like ? { like: draft.like } : {}),
  };
}

export function isEmptyQuery(query: Query): boolean {
  return (
    !query.tags.length &&
    !query.anyOf.length &&
    !hasText(query) &&
    !query.excluded.length &&
    !query.excludedTags.length &&
    !query.excludedAuthors.length &&
    !query.range &&
    !query.includeDropped &&
    !query.like
  );
}

/** Whether the query needs full-text search (words, phrases or authors to match, alone or in an OR). */
export function hasText(query: Query): boolean {
  return query.words.length + query.phrases.length + query.authors.length > 0 || query.anyOf.some(hasTextAlternative);
}

/** An OR group with a word, phrase or author in it: matched by full-text search, not by the tag table. */
export function hasTextAlternative(group: readonly Alternative[]): boolean {
  return group.some((alternative) => alternative.kind !== 'tag');
}

/**
 * First pass: bare chunks in a row are read as time phrases first, then the longest tag name or
 * synonym, then `or`, `not word`, else free words; the other tokens stand for themselves. Dates and
 * exclusions are applied to the draft at once; everything else waits for `combine`.
 */
function readUnits(input: string, draft: Draft, context: QueryContext): Unit[] {
  const items = lex(input).flatMap((token): Token[] =>
    token.kind === 'chunk' ? splitRangeMarks(token.text).map((text) => ({ kind: 'chunk', text })) : [token],
  );
  // Other tokens are boundaries: no tag or time phrase reads across a quoted phrase or a prefix.
  const lower = items.map((item) => (item.kind !== 'chunk' ? TOKEN_BOUNDARY : item.text === '..' ? item.text : normalizeChunk(item.text)));
  const units: Unit[] = [];
  let index = 0;
  while (index < items.length) {
    const item = items[index] as Token;
    if (item.kind !== 'chunk') {
      units.push(...tokenUnit(item, draft, context.vocabulary));
      index++;
      continue;
    }
    const time = readTimePhrase(lower, index, context.today);
    if (time) {
      if (units.at(-1)?.kind === 'or' || lower[index + time.length] === 'or') throw orError('date');
      addRange(draft, time.range, time.label);
      units.push({ kind: 'fixed', what: 'date' });
      index += time.length;
      continue;
    }
    const tag = readTag(lower, index, context.vocabulary);
    if (tag) {
      units.push(tagUnit(tag.name));
      index += tag.length;
      continue;
    }
    if (lower[index] === 'or') {
      units.push({ kind: 'or' });
      index++;
      continue;
    }
    if (lower[index] === 'not' && index + 1 < items.length) {
      index += 1 + negate(items, lower, index + 1, draft, context.vocabulary);
      units.push({ kind: 'fixed', what: 'exclusion' });
      continue;
    }
    units.push(...wordsUnit(item.text));
    index++;
  }
  return units;
}

/** Second pass: terms joined by OR become one group; every other term is required on its own. */
function combine(units: readonly Unit[], draft: Draft): void {
  for (let index = 0; index < units.length; index++) {
    const unit = units[index] as Unit;
    if (unit.kind === 'or') {
      // An OR that joined nothing (at either end) is dropped, as the little word `or` always was.
      const fixed = [units[index - 1], units[index + 1]].find((neighbour) => neighbour?.kind === 'fixed');
      if (fixed?.kind === 'fixed') throw orError(fixed.what);
      continue;
    }
    if (unit.kind !== 'term') continue;
    const group = [unit];
    while (units[index + 1]?.kind === 'or') {
      const next = units[index + 2];
      if (next?.kind !== 'term') break;
      group.push(next);
      index += 2;
    }
    addGroup(draft, group);
  }
}

function orError(what: 'date' | 'exclusion' | 'option' | 'like'): UserError {
  if (what === 'option') return new UserError('OR joins tags, words, "phrases" and authors; `include:dropped` applies to the whole search.');
  if (what === 'like') return new UserError('OR joins tags, words, "phrases" and authors, not `like:`: ask for one paper’s neighbours at a time.');
  if (what === 'date') {
    return new UserError('OR joins tags, words, "phrases" and authors, not dates: for several days write a range such as `2025-12-01..2025-12-05`.');
  }
  return new UserError('OR joins tags, words, "phrases" and authors, not exclusions: `-a -b` already leaves out papers with either.');
}

function addGroup(draft: Draft, group: readonly Extract<Unit, { kind: 'term' }>[]): void {
  const distinct = group.filter(
    (unit, index) =>
      group.findIndex((other) => other.alternative.kind === unit.alternative.kind && sameText(other.alternative.value, unit.alternative.value)) === index,
  );
  if (distinct.length === 1) {
    (distinct[0] as (typeof distinct)[number]).alone(draft);
    return;
  }
  const alternatives = distinct.map((unit) => unit.alternative);
  const key = groupKey(alternatives);
  if (!draft.anyOf.some((other) => groupKey(other) === key)) draft.anyOf.push(alternatives);
}

function groupKey(group: readonly Alternative[]): string {
  return group
    .map((alternative) => `${alternative.kind}:${alternative.value.toLowerCase()}`)
    .sort()
    .join('\n');
}

/** The unit of a token other than a bare chunk; none for a phrase without words (`""`, emoji). */
function tokenUnit(token: Exclude<Token, { kind: 'chunk' }>, draft: Draft, vocabulary: TagVocabulary): Unit[] {
  if (token.kind === 'exclude') {
    excludeToken(token, draft, vocabulary);
    return [{ kind: 'fixed', what: 'exclusion' }];
  }
  if (token.kind === 'tag') return [tagUnit(requireTag(token.text, vocabulary))];
  if (token.kind === 'include') {
    if (normalizeChunk(token.text) !== 'dropped') {
      throw new UserError(
        '`include:` takes one value, `dropped`: `include:dropped` searches the papers the filter left out or the group marked not relevant too.',
      );
    }
    draft.includeDropped = true;
    return [{ kind: 'fixed', what: 'option' }];
  }
  if (token.kind === 'like') {
    addLike(draft, token.text);
    return [{ kind: 'fixed', what: 'like' }];
  }
  const words = searchWords(token.text);
  if (token.kind === 'author') {
    const name = requireAuthor(words);
    return [{ kind: 'term', alternative: { kind: 'author', value: name }, alone: (target) => pushUnique(target.authors, name) }];
  }
  if (words.length === 0) return [];
  const phrase = words.join(' ');
  return [{ kind: 'term', alternative: { kind: 'text', value: phrase }, alone: (target) => pushUnique(target.phrases, phrase) }];
}

function tagUnit(name: string): Unit {
  return { kind: 'term', alternative: { kind: 'tag', value: name }, alone: (target) => pushUnique(target.tags, name) };
}

/** A bare chunk's words without the little ones; in an OR, a chunk of several words (`fp8/int4`) is one phrase. */
function wordsUnit(chunk: string): Unit[] {
  const words = searchWords(chunk).filter((word) => !STOPWORDS.has(word.toLowerCase()));
  if (words.length === 0) return [];
  const alone = (target: Draft) => {
    for (const word of words) pushUnique(target.words, word);
  };
  return [{ kind: 'term', alternative: { kind: 'text', value: words.join(' ') }, alone }];
}

/** `not X`: X is the next item (a tag name or synonym, a word, a quoted phrase, `tag:`, `author:`); returns how many items it took. */
function negate(items: readonly Token[], lower: readonly string[], index: number, draft: Draft, vocabulary: TagVocabulary): number {
  const item = items[index] as Token;
  if (item.kind === 'chunk') {
    const tag = readTag(lower, index, vocabulary);
    if (tag) {
      pushUnique(draft.excludedTags, tag.name);
      return tag.length;
    }
    exclude(item.text, draft, vocabulary);
    return 1;
  }
  if (item.kind === 'exclude') excludeToken(item, draft, vocabulary);
  else if (item.kind === 'include') return 1;
  else if (item.kind === 'tag') pushUnique(draft.excludedTags, requireTag(item.text, vocabulary));
  else if (item.kind === 'author') pushUnique(draft.excludedAuthors, requireAuthor(searchWords(item.text)));
  else if (item.kind === 'like') throw notLikeError();
  else excludeText(searchWords(item.text), draft);
  return 1;
}

function excludeToken(token: Extract<Token, { kind: 'exclude' }>, draft: Draft, vocabulary: TagVocabulary): void {
  if (token.prefix === 'like') throw notLikeError();
  if (token.prefix === 'tag') pushUnique(draft.excludedTags, requireTag(token.text, vocabulary));
  else if (token.prefix === 'author') pushUnique(draft.excludedAuthors, requireAuthor(searchWords(token.text)));
  else if (token.quoted) excludeText(searchWords(token.text), draft);
  else exclude(token.text, draft, vocabulary);
}

function excludeText(words: readonly string[], draft: Draft): void {
  if (words.length) pushUnique(draft.excluded, words.join(' '));
}

/** `-word` / `not word`: a tag word excludes the tag, other words exclude text. */
function exclude(chunk: string, draft: Draft, vocabulary: TagVocabulary): void {
  const tag = resolveQueryTag(vocabulary, normalizeChunk(chunk));
  if (tag) pushUnique(draft.excludedTags, tag);
  else for (const word of searchWords(chunk)) pushUnique(draft.excluded, word);
}

function requireTag(typed: string, vocabulary: TagVocabulary): string {
  const tag = resolveQueryTag(vocabulary, typed);
  if (tag) return tag;
  const names = vocabulary
    .names()
    .map((name) => `\`${name}\``)
    .join(' ');
  throw new UserError(`“${searchWords(typed).join(' ') || typed.replaceAll('`', '')}” is not a tag. Tags: ${names}`);
}

function requireAuthor(words: readonly string[]): string {
  if (words.length === 0) throw new UserError('`author:` needs a name, e.g. `author:"Song Han"` or `author:Han`.');
  return words.join(' ');
}

const LIKE_EXAMPLE = '`like:2512.16473` (or `like:arXiv:2512.16473`, `like:2512.16473v2`, `like:https://arxiv.org/abs/2512.16473`)';

/** `like:` names one paper, by any form of its arXiv id; the base id is kept. */
function addLike(draft: Draft, typed: string): void {
  const shown = typed.replaceAll('`', '').slice(0, 80);
  if (!typed.trim()) throw new UserError(`\`like:\` needs an arXiv id: ${LIKE_EXAMPLE}.`);
  const id = parseArxivId(typed);
  if (!id) throw new UserError(`“${shown}” is not an arXiv id. Write ${LIKE_EXAMPLE}.`);
  if (draft.like && draft.like !== id.base) throw new UserError('Ask for one paper’s neighbours at a time: use a single `like:`.');
  draft.like = id.base;
}

function notLikeError(): UserError {
  return new UserError('`like:` cannot be excluded: to leave a paper’s neighbours out, search without it.');
}

/** `like:` ranks by similarity; words, phrases and authors would each want a ranking of their own. */
function requireNoText(draft: Draft): void {
  const text =
    draft.words.length +
    draft.phrases.length +
    draft.authors.length +
    draft.excluded.length +
    draft.excludedAuthors.length +
    draft.anyOf.filter(hasTextAlternative).length;
  if (text === 0) return;
  throw new UserError(
    '`like:` finds the papers most similar to one paper, and combines with dates and tags only, e.g. `like:2512.16473 MoE since 2025-06`. ' +
      'To search by words, leave out `like:`.',
  );
}

function addRange(draft: Draft, range: DayRange, label: string): void {
  const combined = draft.range ? intersectRanges(draft.range, range) : range;
  if (!combined) throw new UserError(`Those dates do not overlap: “${[...draft.labels, label].join('” and “')}”.`);
  draft.range = combined;
  draft.labels.push(label);
}

/** `2025-12-01..2025-12-15` → three chunks, so the range reads like `2025-12-01 .. 2025-12-15`. */
function splitRangeMarks(chunk: string): string[] {
  if (!chunk.includes('..')) return [chunk];
  return chunk.split(/(\.\.)/).filter(Boolean);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function pushUnique(list: string[], value: string): void {
  if (!list.some((item) => sameText(item, value))) list.push(value);
}
