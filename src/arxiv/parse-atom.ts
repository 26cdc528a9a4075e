import { parseArxivId } from '../domain/arxiv-id.ts';
import type { PaperRecord } from '../domain/paper.ts';
import { describeIssues, PaperRecordSchema } from './paper-record-schema.ts';
import type { SkippedEntry } from './parse-rss.ts';
import { asArray, asRecord, FeedError, parseXml, squash, textOf } from './xml.ts';

export type AtomPage = {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly entries: readonly PaperRecord[];
  readonly skipped: readonly SkippedEntry[];
};

const ARRAYS = new Set(['feed.entry', 'feed.entry.author', 'feed.entry.category', 'feed.entry.link']);

/** Parses one page of the export API (Atom). An API error answer throws FeedError with arXiv's message. */
export function parseAtom(xml: string): AtomPage {
  const document = parseXml(xml, ARRAYS, 'the arXiv API response');
  const feed = asRecord(document.feed);
  if (!feed) throw new FeedError('the arXiv API response has no <feed> element');
  const entries: PaperRecord[] = [];
  const skipped: SkippedEntry[] = [];
  asArray(feed.entry).forEach((raw, index) => {
    const entry = asRecord(raw);
    const ref = textOf(entry?.id) || `entry #${index + 1}`;
    if (ref.includes('/api/errors')) throw new FeedError(`arXiv API error: ${squash(textOf(entry?.summary) ?? ref)}`);
    const parsed = entry ? parseEntry(entry, ref) : { ref, reason: 'entry is not an element' };
    if ('reason' in parsed) skipped.push(parsed);
    else entries.push(parsed);
  });
  return {
    totalResults: count(feed.totalResults),
    startIndex: count(feed.startIndex),
    entries,
    skipped,
  };
}

function parseEntry(entry: Record<string, unknown>, ref: string): PaperRecord | SkippedEntry {
  const id = parseArxivId(textOf(entry.id) ?? '');
  if (!id) return { ref, reason: 'no arXiv id' };
  const categories = asArray(entry.category)
    .map((category) => textOf(asRecord(category)?.['@term']))
    .filter((term): term is string => Boolean(term));
  const links = asArray(entry.link).map(asRecord);
  const doiLink = links.find((link) => link?.['@title'] === 'doi');
  const record = PaperRecordSchema.safeParse({
    id: id.base,
    version: id.version ?? 1,
    title: squash(textOf(entry.title) ?? ''),
    abstract: squash(textOf(entry.summary) ?? ''),
    authors: asArray(entry.author)
      .map((author) => squash(textOf(asRecord(author)?.name) ?? ''))
      .filter(Boolean),
    categories,
    primaryCategory: textOf(asRecord(entry.primary_category)?.['@term']) ?? categories[0] ?? null,
    comment: optional(entry.comment),
    journalRef: optional(entry.journal_ref),
    doi: optional(entry.doi) ?? (doiLink ? (textOf(doiLink['@href'])?.replace(/^https?:\/\/(dx\.)?doi\.org\//, '') ?? null) : null),
    submittedAt: optional(entry.published),
    updatedAt: optional(entry.updated),
  });
  return record.success ? record.data : { ref, reason: describeIssues(record.error) };
}

function optional(value: unknown): string | null {
  const text = textOf(value);
  return text ? squash(text) : null;
}

function count(value: unknown): number {
  const number = Number(textOf(value));
  return Number.isFinite(number) ? number : 0;
}
