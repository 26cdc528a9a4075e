import type { Paper } from '../domain/paper.ts';
import { containsRun, nameWords, type Subscriber, type Subscription, subscriptionReason } from '../domain/subscription.ts';
import { ftsPhrase } from '../store/search.ts';
import { type MatchDocument, matchDocuments } from '../store/text-match.ts';

export type MatchedPaper = { readonly paper: Paper; readonly reasons: readonly string[] };

/** One person's papers for the day, in the order the papers were given, each with why it matched. */
export type SubscriberMatches = { readonly subscriber: Subscriber; readonly papers: readonly MatchedPaper[] };

export type TextMatcher = (documents: readonly MatchDocument[], queries: readonly string[]) => Promise<number[][]>;

/**
 * Which person gets which of a day's relevant papers, and why ("MoE", "keyword: speculative
 * decoding"). Tags compare canonical names; keywords (all words) and phrases (words in order) go
 * through the archive's FTS5 tokenizer over title, abstract and TL;DR, so they match what a search
 * for them finds; authors match a name inside one author's name. Each distinct keyword or phrase is
 * matched once however many people follow it.
 */
export async function matchSubscriptions(
  papers: readonly Paper[],
  subscriptions: readonly Subscription[],
  matcher: TextMatcher = matchDocuments,
): Promise<SubscriberMatches[]> {
  const byTag = tagIndex(papers);
  const byAuthor = authorIndex(papers);
  const byText = await matchText(papers, subscriptions, matcher);
  const bySubscriber = new Map<string, { subscriber: Subscriber; parts: Part[] }>();
  for (const subscription of subscriptions) {
    const indexes =
      subscription.kind === 'tag'
        ? (byTag.get(subscription.value) ?? [])
        : subscription.kind === 'author'
          ? byAuthor(subscription.value)
          : (byText.get(textKey(subscription)) ?? []);
    if (indexes.length === 0) continue;
    const id = `${subscription.platform}\u0000${subscription.userId}`;
    let entry = bySubscriber.get(id);
    if (!entry) {
      entry = { subscriber: { platform: subscription.platform, userId: subscription.userId }, parts: [] };
      bySubscriber.set(id, entry);
    }
    entry.parts.push({ indexes, reason: subscriptionReason(subscription) });
  }
  const merge = merger(papers);
  return [...bySubscriber.values()].map(({ subscriber, parts }) => ({ subscriber, papers: merge(parts) }));
}

/** What one subscription matched: paper indexes in ascending order, and the reason to show. */
type Part = { readonly indexes: readonly number[]; readonly reason: string };

/**
 * One person's parts → their papers in the given order, each with every reason it matched. Runs
 * once per person with a scratch array shared by all (`seen[paper]` = the last person that took
 * it), so each (person, paper) pair costs O(1); a paper with a single reason shares its part's
 * one-element list, which keeps a day of hundreds of thousands of pairs from allocating a list each.
 */
function merger(papers: readonly Paper[]): (parts: readonly Part[]) => MatchedPaper[] {
  const seen = new Int32Array(papers.length).fill(-1);
  const firstPart = new Int32Array(papers.length);
  let person = 0;
  return (parts) => {
    person++;
    const alone = parts.map((part) => [part.reason]);
    const taken: number[] = [];
    const several = new Map<number, string[]>();
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k] as Part;
      for (const index of part.indexes) {
        if (seen[index] !== person) {
          seen[index] = person;
          firstPart[index] = k;
          taken.push(index);
          continue;
        }
        const first = parts[firstPart[index] as number] as Part;
        const reasons = several.get(index) ?? [first.reason];
        if (!reasons.includes(part.reason)) reasons.push(part.reason);
        several.set(index, reasons);
      }
    }
    const order = parts.length === 1 ? taken : Int32Array.from(taken).sort();
    return Array.from(order, (index) => ({ paper: papers[index] as Paper, reasons: several.get(index) ?? (alone[firstPart[index] as number] as string[]) }));
  };
}

function tagIndex(papers: readonly Paper[]): Map<string, number[]> {
  const byTag = new Map<string, number[]>();
  papers.forEach((paper, index) => {
    for (const tag of new Set(paper.classification.tags)) {
      const list = byTag.get(tag);
      if (list) list.push(index);
      else byTag.set(tag, [index]);
    }
  });
  return byTag;
}

/**
 * Papers by author name: candidates share the name's first word (an index lookup), then the whole
 * name must run inside one author's name. Names are split into words once, not per subscription.
 */
function authorIndex(papers: readonly Paper[]): (name: string) => number[] {
  const authorWords = papers.map((paper) => paper.authors.map(nameWords));
  const byWord = new Map<string, Set<number>>();
  authorWords.forEach((authors, index) => {
    for (const word of authors.flat()) {
      const set = byWord.get(word);
      if (set) set.add(index);
      else byWord.set(word, new Set([index]));
    }
  });
  const cache = new Map<string, number[]>();
  return (name) => {
    const wanted = nameWords(name);
    const key = wanted.join(' ');
    const known = cache.get(key);
    if (known) return known;
    const candidates = wanted[0] === undefined ? undefined : byWord.get(wanted[0]);
    const found = candidates
      ? [...candidates].filter((index) => (authorWords[index] ?? []).some((words) => containsRun(words, wanted))).sort((a, b) => a - b)
      : [];
    cache.set(key, found);
    return found;
  };
}

/** Distinct keyword and phrase subscriptions → the indexes of the papers they match. */
async function matchText(papers: readonly Paper[], subscriptions: readonly Subscription[], matcher: TextMatcher): Promise<Map<string, number[]>> {
  const queries = new Map<string, string>();
  for (const subscription of subscriptions) {
    if (subscription.kind !== 'keyword' && subscription.kind !== 'phrase') continue;
    const key = textKey(subscription);
    if (!queries.has(key)) queries.set(key, toFts(subscription));
  }
  if (queries.size === 0 || papers.length === 0) return new Map();
  const documents = papers.map((paper) => ({ title: paper.title, abstract: paper.abstract, tldr: paper.classification.tldr }));
  const keys = [...queries.keys()];
  const matches = await matcher(documents, [...queries.values()]);
  return new Map(keys.map((key, index) => [key, (matches[index] ?? []).sort((a, b) => a - b)]));
}

function textKey(subscription: Pick<Subscription, 'kind' | 'key'>): string {
  return `${subscription.kind}:${subscription.key}`;
}

/** A keyword needs all its words (as the search does for free words); a phrase needs them in order. */
function toFts(subscription: Pick<Subscription, 'kind' | 'value'>): string {
  if (subscription.kind === 'phrase') return ftsPhrase(subscription.value);
  return subscription.value.split(' ').map(ftsPhrase).join(' AND ');
}
