import { parseArxivId } from '../domain/arxiv-id.ts';
import { ARXIV_ZONE, dayIn } from '../domain/calendar.ts';
import { ANNOUNCE_TYPES, type Announcement, type AnnounceType } from '../domain/paper.ts';
import { describeIssues, PaperRecordSchema } from './paper-record-schema.ts';
import { asArray, asRecord, FeedError, parseXml, squash, textOf } from './xml.ts';

export type SkippedEntry = { readonly ref: string; readonly reason: string };

export type ParsedFeed = {
  /** The announcement day (ET date of the feed's pubDate); null for a feed without a date. */
  readonly day: string | null;
  readonly announcements: readonly Announcement[];
  readonly skipped: readonly SkippedEntry[];
};

const ARRAYS = new Set(['rss.channel.item', 'rss.channel.item.category', 'rss.channel.item.creator']);
// "arXiv:2512.16473v1 Announce Type: new \nAbstract: …"
const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?([\s\S]*)$/;

/**
 * Parses the daily announcement feed (rss.arxiv.org). A malformed item is skipped with its reason;
 * a document that is not an RSS feed throws FeedError. The same paper listed twice (once per
 * category) collapses into one announcement, keeping the strongest type (new > cross > replace).
 */
export function parseRss(xml: string): ParsedFeed {
  const document = parseXml(xml, ARRAYS, 'the arXiv RSS feed');
  const channel = asRecord(asRecord(document.rss)?.channel);
  if (!channel) throw new FeedError('the arXiv RSS feed has no <rss><channel> element');
  const day = feedDay(textOf(channel.pubDate) ?? textOf(channel.lastBuildDate));
  const byId = new Map<string, Announcement>();
  const skipped: SkippedEntry[] = [];
  asArray(channel.item).forEach((raw, index) => {
    const parsed = parseItem(raw, index);
    if ('reason' in parsed) {
      skipped.push(parsed);
      return;
    }
    const seen = byId.get(parsed.paper.id);
    if (!seen || rank(parsed.type) < rank(seen.type)) byId.set(parsed.paper.id, parsed);
  });
  return { day, announcements: [...byId.values()], skipped };
}

function parseItem(raw: unknown, index: number): Announcement | SkippedEntry {
  const item = asRecord(raw);
  const guid = textOf(item?.guid);
  const ref = guid || textOf(item?.link) || `item #${index + 1}`;
  if (!item) return { ref, reason: 'item is not an element' };
  const description = DESCRIPTION.exec(textOf(item.description) ?? '');
  const id = parseArxivId(guid ?? '') ?? parseArxivId(description?.[1] ?? '');
  if (!id) return { ref, reason: 'no arXiv id in guid or description' };
  const type = textOf(item.announce_type) ?? description?.[2] ?? '';
  if (!isAnnounceType(type)) return { ref, reason: `unknown announce type "${type}"` };
  const version = id.version ?? parseArxivId(description?.[1] ?? '')?.version ?? 1;
  const categories = asArray(item.category)
    .map(textOf)
    .filter((c): c is string => Boolean(c));
  const record = PaperRecordSchema.safeParse({
    id: id.base,
    version,
    title: squash(textOf(item.title) ?? ''),
    abstract: squash(description?.[3] ?? ''),
    authors: splitAuthors(asArray(item.creator).map(textOf).join(', ')),
    categories,
    primaryCategory: categories[0] ?? null,
    comment: null,
    journalRef: optionalText(item.journal_reference),
    doi: optionalText(item.DOI),
    submittedAt: null,
    updatedAt: null,
  });
  if (!record.success) return { ref, reason: describeIssues(record.error) };
  return { paper: record.data, type };
}

function feedDay(pubDate: string | null): string | null {
  if (!pubDate) return null;
  const instant = new Date(pubDate);
  return Number.isNaN(instant.getTime()) ? null : dayIn(instant, ARXIV_ZONE);
}

/**
 * arXiv's dc:creator is every author in one string, each with its affiliations in parentheses:
 * `Alice Zhang (MIT, CSAIL), Bob Liu`. Split at commas (and " and ") outside parentheses, then drop
 * the parenthesised affiliations: `['Alice Zhang', 'Bob Liu']`.
 */
export function splitAuthors(text: string): string[] {
  const names: string[] = [];
  const and = /\s+and\s+/y;
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    if (depth > 0) continue;
    and.lastIndex = index;
    const separator = char === ',' ? 1 : and.exec(text)?.[0].length;
    if (!separator) continue;
    names.push(text.slice(start, index));
    index += separator - 1;
    start = index + 1;
  }
  names.push(text.slice(start));
  return names.map(withoutAffiliations).map(squash).filter(Boolean);
}

/** `Dave Kim (KAIST (School of Computing))` → `Dave Kim`; nested parentheses go from the inside out. */
function withoutAffiliations(name: string): string {
  let stripped = name;
  for (let previous = ''; previous !== stripped; ) {
    previous = stripped;
    stripped = stripped.replace(/\s*\([^()]*\)/g, '');
  }
  return stripped.replace(/[()]/g, '');
}

function optionalText(value: unknown): string | null {
  const text = squash(textOf(asArray(value)[0]) ?? '');
  return text || null;
}

function isAnnounceType(value: string): value is AnnounceType {
  return (ANNOUNCE_TYPES as readonly string[]).includes(value);
}

function rank(type: AnnounceType): number {
  return ANNOUNCE_TYPES.indexOf(type);
}
