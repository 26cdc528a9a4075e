import type { Paper } from '../domain/paper.ts';
import { authorMatches, nameWords, type Subscriber, type Subscription, subscriptionReason } from '../domain/subscription.ts';
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
  const papersByTag = new Map<string, number[]>();
  papers.forEach((paper, index) => {
    for (const tag of new Set(paper.classification.tags)) {
      const list = papersByTag.get(tag);
      if (list) list.push(index);
      else papersByTag.set(tag, [index]);
    }
  });
  const byAuthor = authorIndex(papers);
  const textMatches = await matchText(papers, subscriptions, matcher);
  const bySubscriber = new Map<string, { subscriber: Subscriber; reasons: Map<number, string[]> }>();
  for (const subscription of subscriptions) {
    const matched =
      subscription.kind === 'tag'
        ? (papersByTag.get(subscription.value) ?? [])
        : subscription.kind === 'author'
          ? byAuthor(subscription.value)
          : (textMatches.get(textKey(subscription)) ?? []);
    if (matched.length === 0) continue;
    const id = `${subscription.platform}\u0000${subscription.userId}`;
    let entry = bySubscriber.get(id);
    if (!entry) {
      entry = { subscriber: { platform: subscription.platform, userId: subscription.userId }, reasons: new Map() };
      bySubscriber.set(id, entry);
    }
    const reason = subscriptionReason(subscription);
    for (const index of matched) {
      const reasons = entry.reasons.get(index);
      if (!reasons) entry.reasons.set(index, [reason]);
      else if (!reasons.includes(reason)) reasons.push(reason);
    }
  }
  return [...bySubscriber.values()].map(({ subscriber, reasons }) => ({
    subscriber,
    papers: [...reasons.keys()].sort((a, b) => a - b).map((index) => ({ paper: papers[index] as Paper, reasons: reasons.get(index) ?? [] })),
  }));
}

/**
 * Papers by author name: candidates share the name's first word (an index lookup), then the whole
 * name is checked, so 10,000 subscriptions do not each scan every author of every paper.
 */
function authorIndex(papers: readonly Paper[]): (name: string) => number[] {
  const byWord = new Map<string, Set<number>>();
  papers.forEach((paper, index) => {
    for (const word of paper.authors.flatMap(nameWords)) {
      const set = byWord.get(word);
      if (set) set.add(index);
      else byWord.set(word, new Set([index]));
    }
  });
  return (name) => {
    const [first] = nameWords(name);
    const candidates = first === undefined ? undefined : byWord.get(first);
    if (!candidates) return [];
    return [...candidates].filter((index) => authorMatches(name, (papers[index] as Paper).authors)).sort((a, b) => a - b);
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
  return new Map(keys.map((key, index) => [key, matches[index] ?? []]));
}

function textKey(subscription: Pick<Subscription, 'kind' | 'key'>): string {
  return `${subscription.kind}:${subscription.key}`;
}

/** A keyword needs all its words (as the search does for free words); a phrase needs them in order. */
function toFts(subscription: Pick<Subscription, 'kind' | 'value'>): string {
  if (subscription.kind === 'phrase') return ftsPhrase(subscription.value);
  return subscription.value.split(' ').map(ftsPhrase).join(' AND ');
}
