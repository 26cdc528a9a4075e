import type { PaperRecord } from '../domain/paper.ts';
import type { ArxivClient } from './client.ts';
import { type AtomPage, parseAtom } from './parse-atom.ts';
import type { SkippedEntry } from './parse-rss.ts';
import { FeedError } from './xml.ts';

/** arXiv refuses to page past 30,000 results of one query. */
const MAX_RESULTS_PER_QUERY = 30_000;
/** The API sometimes answers a page with no entries although more exist; asking again fixes it. */
const EMPTY_PAGE_RETRIES = 2;

export type DateField = 'submittedDate' | 'lastUpdatedDate';

export type QueryParams = {
  readonly searchQuery?: string;
  readonly idList?: readonly string[];
  readonly start: number;
  readonly maxResults: number;
  readonly sortBy?: DateField | 'relevance';
};

export function buildQueryUrl(base: string, params: QueryParams): string {
  const url = new URL(base);
  if (params.searchQuery) url.searchParams.set('search_query', params.searchQuery);
  if (params.idList?.length) url.searchParams.set('id_list', params.idList.join(','));
  url.searchParams.set('start', String(params.start));
  url.searchParams.set('max_results', String(params.maxResults));
  if (params.sortBy) {
    url.searchParams.set('sortBy', params.sortBy);
    url.searchParams.set('sortOrder', 'ascending');
  }
  return url.toString();
}

/** `(cat:cs.DC OR cat:cs.LG) AND submittedDate:[202512111900 TO 202512121859]` — GMT, minutes inclusive, so [from, to). */
export function rangeQuery(categories: readonly string[], field: DateField, from: Date, to: Date): string {
  const cats = categories.map((category) => `cat:${category}`).join(' OR ');
  return `(${cats}) AND ${field}:[${stamp(from)} TO ${stamp(new Date(to.getTime() - 60_000))}]`;
}

export type QueryResult = { readonly entries: PaperRecord[]; readonly skipped: SkippedEntry[]; readonly pages: number };

/** Every page of a search query, sorted by `sortBy` ascending so pages do not shift under us. */
export async function fetchQuery(client: ArxivClient, base: string, searchQuery: string, sortBy: DateField, pageSize: number): Promise<QueryResult> {
  const entries: PaperRecord[] = [];
  const skipped: SkippedEntry[] = [];
  let pages = 0;
  for (let start = 0; start < MAX_RESULTS_PER_QUERY; ) {
    const page = await fetchPage(client, buildQueryUrl(base, { searchQuery, start, maxResults: pageSize, sortBy }), start);
    entries.push(...page.entries);
    skipped.push(...page.skipped);
    pages++;
    start += page.entries.length + page.skipped.length;
    if (start >= page.totalResults) break;
  }
  return { entries, skipped, pages };
}

/** Looks papers up by id (base ids give the latest version), `pageSize` ids per request. */
export async function fetchByIds(client: ArxivClient, base: string, ids: readonly string[], pageSize: number): Promise<QueryResult> {
  const entries: PaperRecord[] = [];
  const skipped: SkippedEntry[] = [];
  let pages = 0;
  for (let offset = 0; offset < ids.length; offset += pageSize) {
    const idList = ids.slice(offset, offset + pageSize);
    const page = parseAtom(await client.get(buildQueryUrl(base, { idList, start: 0, maxResults: idList.length })));
    entries.push(...page.entries);
    skipped.push(...page.skipped);
    pages++;
  }
  return { entries, skipped, pages };
}

async function fetchPage(client: ArxivClient, url: string, start: number): Promise<AtomPage> {
  for (let tries = 0; ; tries++) {
    const page = parseAtom(await client.get(url));
    const empty = page.entries.length + page.skipped.length === 0;
    if (!empty || start >= page.totalResults) return page;
    if (tries >= EMPTY_PAGE_RETRIES) {
      throw new FeedError(`arXiv API returned an empty page at start=${start} of ${page.totalResults} results ${EMPTY_PAGE_RETRIES + 1} times`);
    }
  }
}

function stamp(instant: Date): string {
  return instant.toISOString().replace(/[-:T]/g, '').slice(0, 12);
}
