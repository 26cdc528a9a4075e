import { parseArxivId } from './arxiv-id.ts';
import { isDay } from './calendar.ts';
import { UserError } from './errors.ts';
import { type Alternative, MAX_QUERY_CHARACTERS, MAX_QUERY_TERMS, type Query } from './query.ts';
import { searchWords } from './query-lexer.ts';
import type { TagVocabulary } from './tags.ts';

/**
 * Where the next page of a search starts. Stateless: the cursor carries the parsed query itself
 * (with its dates already resolved, so "last week" means the same week on every page), the offset
 * and the newest paper at the first page (papers added later do not shift the pages).
 */
export type SearchCursor = { readonly query: Query; readonly offset: number; readonly maxPk: number | null };

export const MAX_CURSOR_OFFSET = 1000;
const VERSION = 'p1';
const MAX_CURSOR_LENGTH = 4000;

type Wire = {
  t: string[];
  /** OR groups, each alternative as `t:Tag`, `x:text` or `a:Author`. */
  g: string[][];
  y: string[];
  w: string[];
  p: string[];
  x: string[];
  a: string[];
  /** Excluded authors. */
  n: string[];
  f: string | null;
  u: string | null;
  l: string | null;
  /** `like:` paper (base id). */
  k: string | null;
  o: number;
  m: number | null;
  /** 1: `include:dropped`. */
  d: 1 | null;
};

/**
 * Empty lists and nulls are left out, so a typical cursor stays well under Discord's 100-character
 * limit for a button's custom_id (`MoE` page 2 is about 40 characters).
 */
export function encodeSearchCursor(cursor: SearchCursor): string {
  const { query } = cursor;
  const full: Wire = {
    t: [...query.tags],
    g: query.anyOf.map((group) => group.map(encodeAlternative)),
    y: [...query.excludedTags],
    w: [...query.words],
    p: [...query.phrases],
    x: [...query.excluded],
    a: [...query.authors],
    n: [...query.excludedAuthors],
    f: query.range?.from ?? null,
    u: query.range?.to ?? null,
    l: query.rangeLabel && isSafeLabel(query.rangeLabel) ? query.rangeLabel : null,
    k: query.like ?? null,
    o: cursor.offset,
    m: cursor.maxPk,
    d: query.includeDropped ? 1 : null,
  };
  const compact = Object.fromEntries(Object.entries(full).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0)));
  return `${VERSION}.${toBase64Url(JSON.stringify(compact))}`;
}

/** What an omitted field means. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  t: [],
  g: [],
  y: [],
  w: [],
  p: [],
  x: [],
  a: [],
  n: [],
  f: null,
  u: null,
  l: null,
  k: null,
  m: null,
  d: null,
};

const ALTERNATIVE_KINDS: Readonly<Record<string, Alternative['kind']>> = { t: 'tag', x: 'text', a: 'author' };

function encodeAlternative(alternative: Alternative): string {
  return `${alternative.kind === 'tag' ? 't' : alternative.kind === 'text' ? 'x' : 'a'}:${alternative.value}`;
}

function decodeAlternative(text: string): Alternative | null {
  const kind = ALTERNATIVE_KINDS[text[0] ?? ''];
  return kind && text[1] === ':' && text.length > 2 ? { kind, value: text.slice(2) } : null;
}

/**
 * Reads a cursor back, trusting nothing in it: a cursor is user input (a button value anyone can
 * forge). Each field is checked as strictly as the parser would have produced it; anything else,
 * including a cursor from an older release, is a UserError asking for a fresh search.
 */
export function decodeSearchCursor(text: string, vocabulary: TagVocabulary): SearchCursor {
  const wire = readWire(text);
  if (!wire) throw new UserError('That page of results has expired or was altered; please run the search again.');
  const anyOf = wire.g.map((group) => group.map((text) => decodeAlternative(text) as Alternative));
  const tags = [...wire.t, ...wire.y, ...anyOf.flat().flatMap((alternative) => (alternative.kind === 'tag' ? [alternative.value] : []))];
  if (tags.some((tag) => vocabulary.resolve(tag) !== tag)) throw new UserError('The tags have changed since that search; please run it again.');
  const range = wire.f || wire.u ? { from: wire.f, to: wire.u } : null;
  return {
    query: {
      tags: wire.t,
      words: wire.w,
      phrases: wire.p,
      anyOf,
      excluded: wire.x,
      excludedTags: wire.y,
      authors: wire.a,
      excludedAuthors: wire.n,
      range,
      rangeLabel: range ? wire.l : null,
      ...(wire.d === 1 ? { includeDropped: true } : {}),
      ...(wire.k ? { like: wire.k } : {}),
    },
    offset: wire.o,
    maxPk: wire.m,
  };
}

function readWire(text: string): Wire | null {
  if (typeof text !== 'string' || text.length > MAX_CURSOR_LENGTH || !text.startsWith(`${VERSION}.`)) return null;
  let value: unknown;
  try {
    value = JSON.parse(fromBase64Url(text.slice(VERSION.length + 1)));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const wire = { ...DEFAULTS, ...value } as Record<string, unknown>;
  const lists = [wire.t, wire.y, wire.w, wire.p, wire.x, wire.a, wire.n];
  if (!lists.every(isStringList)) return null;
  if (!Array.isArray(wire.g) || !wire.g.every((group) => isStringList(group) && group.length >= 2)) return null;
  const groups = wire.g as string[][];
  if ([...(lists as string[][]), ...groups].reduce((sum, list) => sum + list.length, 0) > MAX_QUERY_TERMS) return null;
  const normalized = (item: string) => searchWords(item).join(' ') === item;
  if (![wire.w, wire.p, wire.x, wire.a, wire.n].every((list) => (list as string[]).every(normalized))) return null;
  const alternatives = groups.flat().map(decodeAlternative);
  if (!alternatives.every((alternative) => alternative !== null && (alternative.kind === 'tag' || normalized(alternative.value)))) return null;
  if (!(wire.w as string[]).every((word) => !word.includes(' '))) return null;
  if (!isOptionalDay(wire.f) || !isOptionalDay(wire.u)) return null;
  if (typeof wire.f === 'string' && typeof wire.u === 'string' && wire.f > wire.u) return null;
  if (wire.l !== null && !isSafeLabel(wire.l)) return null;
  if (wire.k !== null && (typeof wire.k !== 'string' || parseArxivId(wire.k)?.base !== wire.k)) return null;
  // As the parser: `like:` comes with dates and tags only.
  if (
    wire.k !== null &&
    ([wire.w, wire.p, wire.x, wire.a, wire.n].some((list) => (list as string[]).length) || alternatives.some((alternative) => alternative?.kind !== 'tag'))
  ) {
    return null;
  }
  if (!Number.isInteger(wire.o) || (wire.o as number) < 0 || (wire.o as number) > MAX_CURSOR_OFFSET) return null;
  if (wire.m !== null && (!Number.isInteger(wire.m) || (wire.m as number) < 1)) return null;
  if (wire.d !== null && wire.d !== 1) return null;
  return wire as Wire;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0 && item.length <= MAX_QUERY_CHARACTERS);
}

/** Labels are time words the parser recognised ("last week", "since 2025-12-01"). */
function isSafeLabel(value: unknown): value is string {
  return typeof value === 'string' && /^[\p{L}\p{N} .–—-]{1,120}$/u.test(value);
}

function isOptionalDay(value: unknown): boolean {
  return value === null || (typeof value === 'string' && isDay(value));
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
