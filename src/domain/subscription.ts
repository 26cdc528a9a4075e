import type { Platform } from './delivery.ts';
import { UserError } from './errors.ts';
import { lex, normalizeChunk, searchWords } from './query-lexer.ts';
import { readTag, resolveQueryTag, STOPWORDS } from './query-synonyms.ts';
import type { TagVocabulary } from './tags.ts';

export const SUBSCRIPTION_KINDS = ['tag', 'keyword', 'phrase', 'author'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** Subscriptions belong to one person on one platform: a Slack user and a Discord user never share them. */
export type Subscriber = { readonly platform: Platform; readonly userId: string };

/**
 * What a person follows. `keyword` = all its words somewhere in the title, abstract or TL;DR
 * (stemmed, any order); `phrase` = those words in that order; `author` = a name among the authors.
 */
export type SubscriptionTarget = {
  readonly kind: SubscriptionKind;
  /** As shown: the canonical tag name, or the words as typed. */
  readonly value: string;
  /** Identity for duplicates: lower case, without diacritics. */
  readonly key: string;
  /** What the person typed for it, as plain words ("moe" for tag MoE). */
  readonly typed: string;
};

export type Subscription = Subscriber & {
  readonly id: number;
  readonly kind: SubscriptionKind;
  readonly value: string;
  readonly key: string;
  readonly createdAt: string;
};

export const MAX_SUBSCRIPTIONS_PER_USER = 100;
export const MAX_SUBSCRIPTION_INPUT = 300;

/**
 * `/subscribe` and `/unsubscribe` input → targets. Tags by name or synonym (multi-word ones too),
 * `"phrases"`, `author:Name` (an unquoted name runs up to the next quote or prefix), `tag:Name`;
 * the other words in a row form one keyword. Stopwords fall out of keywords.
 */
export function parseSubscriptionTargets(input: string, vocabulary: TagVocabulary): SubscriptionTarget[] {
  if (input.length > MAX_SUBSCRIPTION_INPUT) throw new UserError(`That is ${input.length} characters; keep a subscription under ${MAX_SUBSCRIPTION_INPUT}.`);
  const targets: SubscriptionTarget[] = [];
  let run: string[] = [];
  // An unquoted `author:` name goes on over the following words: `author:Song Han` is one name.
  let author: string[] | null = null;
  const flush = () => {
    if (author) targets.push(authorTarget(author.join(' ')));
    else targets.push(...readChunks(run, vocabulary));
    author = null;
    run = [];
  };
  for (const token of lex(input)) {
    if (token.kind === 'chunk' || token.kind === 'exclude') {
      (author ?? run).push(token.text);
      continue;
    }
    flush();
    if (token.kind === 'author') {
      if (token.quoted) targets.push(authorTarget(token.text));
      else author = [token.text];
    } else if (token.kind === 'tag') targets.push(tagTarget(token.text, vocabulary));
    else {
      const words = searchWords(token.text);
      if (words.length) targets.push(textTarget('phrase', words));
    }
  }
  flush();
  return unique(targets);
}

export function subscriptionKey(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** "tag `MoE`", "keyword ‘speculative decoding’" — for replies; only tag names go in code spans. */
export function describeSubscription(target: Pick<SubscriptionTarget, 'kind' | 'value'>): string {
  if (target.kind === 'tag') return `tag \`${target.value}\``;
  if (target.kind === 'phrase') return `phrase “${target.value}”`;
  return `${target.kind} ‘${target.value}’`;
}

/** Why an alert shows a paper: "MoE", "keyword: speculative decoding", `phrase: "kv cache"`, "author: Song Han". */
export function subscriptionReason(target: Pick<SubscriptionTarget, 'kind' | 'value'>): string {
  if (target.kind === 'tag') return target.value;
  if (target.kind === 'phrase') return `phrase: "${target.value}"`;
  return `${target.kind}: ${target.value}`;
}

/** Whether `name` (an author subscription) is among `authors`: its words, in order, inside one author's name. */
export function authorMatches(name: string, authors: readonly string[]): boolean {
  const wanted = nameWords(name);
  return wanted.length > 0 && authors.some((author) => containsRun(nameWords(author), wanted));
}

/** Whether `wanted` occurs in `words` as a contiguous run. */
export function containsRun(words: readonly string[], wanted: readonly string[]): boolean {
  for (let start = 0; start + wanted.length <= words.length; start++) {
    if (wanted.every((word, offset) => words[start + offset] === word)) return true;
  }
  return false;
}

export function nameWords(name: string): string[] {
  return subscriptionKey(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function readChunks(chunks: readonly string[], vocabulary: TagVocabulary): SubscriptionTarget[] {
  const lower = chunks.map(normalizeChunk);
  const targets: SubscriptionTarget[] = [];
  let keyword: string[] = [];
  const flushKeyword = () => {
    if (keyword.length) targets.push(textTarget('keyword', keyword));
    keyword = [];
  };
  let index = 0;
  while (index < chunks.length) {
    const tag = readTag(lower, index, vocabulary);
    if (tag) {
      flushKeyword();
      targets.push({
        kind: 'tag',
        value: tag.name,
        key: subscriptionKey(tag.name),
        typed: searchWords(chunks.slice(index, index + tag.length).join(' ')).join(' '),
      });
      index += tag.length;
      continue;
    }
    keyword.push(...searchWords(chunks[index] as string).filter((word) => !STOPWORDS.has(word.toLowerCase())));
    index++;
  }
  flushKeyword();
  return targets;
}

function tagTarget(text: string, vocabulary: TagVocabulary): SubscriptionTarget {
  const typed = searchWords(text).join(' ');
  const name = resolveQueryTag(vocabulary, normalizeChunk(text));
  if (!name)
    throw new UserError(
      `“${typed || 'that'}” is not a tag. Tags: ${vocabulary
        .names()
        .map((tag) => `\`${tag}\``)
        .join(' ')}`,
    );
  return { kind: 'tag', value: name, key: subscriptionKey(name), typed };
}

function authorTarget(text: string): SubscriptionTarget {
  const words = searchWords(text);
  if (words.length === 0) throw new UserError('`author:` needs a name, e.g. `/subscribe author:Song Han`.');
  return textTarget('author', words);
}

function textTarget(kind: 'keyword' | 'phrase' | 'author', words: readonly string[]): SubscriptionTarget {
  const value = words.join(' ');
  return { kind, value, key: subscriptionKey(value), typed: value };
}

function unique(targets: readonly SubscriptionTarget[]): SubscriptionTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const id = `${target.kind}:${target.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
