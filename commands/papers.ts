import { dayIn } from '../src/domain/calendar.ts';
import { broaderQueries, describeNarrowing, describeQuery, describeSimilarMethod, formatQuery } from '../src/domain/describe-query.ts';
import { UserError } from '../src/domain/errors.ts';
import { toPaperView } from '../src/domain/paper-view.ts';
import { hasText, isEmptyQuery, parseQuery, type Query } from '../src/domain/query.ts';
import type { Reply, ReplyAction } from '../src/domain/reply.ts';
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from '../src/domain/search-cursor.ts';
import { emptyArchiveNote } from '../src/store/archive-location.ts';
import { DEFAULT_TUNING, newestPaperPk, searchPapers } from '../src/store/search.ts';
import type { SimilarPage } from '../src/store/similar-papers.ts';
import { type Command, type CommandContext, type CommandInput, callerTimeZone, codeSafe, textOption } from './command.ts';
import { describeDroppedWindow, viewsWithStanding } from './paper-standing.ts';

/** Fits Slack's 50 blocks and Discord's 10 embeds / 6,000 characters with room to spare. */
export const PAGE_SIZE = 8;

const TIME_WORDS = ['today', 'yesterday', 'this week', 'last week', 'this month', 'last month', 'past 3 days', 'last 2 weeks', 'since 2025-01-01'];

export const papersCommand: Command = {
  name: 'papers',
  aliases: [],
  description: 'Search the paper archive by tags, dates and words, e.g. MoE offloading last month',
  usage: '[tags] [dates] [words] ["a phrase"] [-word] [author:Name]',
  examples: [
    'papers MoE offloading 2025-12',
    'papers serving last week',
    'papers "speculative decoding" -survey',
    'papers kv cache past 3 days',
    'papers author:"Song Han" since 2025-06-01',
    'papers like:2512.16473 since 2025-06',
  ],
  options: [textOption('query', 'Tags, dates and words, e.g. MoE offloading last month', 'query')],
  run: searchArchive,
  async complete(ctx, partial) {
    const head = partial.replace(/\S*$/, '');
    const last = partial.slice(head.length).toLowerCase();
    const words = [...ctx.services.vocabulary.names(), ...TIME_WORDS];
    return words
      .filter((word) => word.toLowerCase().startsWith(last))
      .slice(0, 25)
      .map((word) => `${head}${word}`);
  },
};

async function searchArchive(ctx: CommandContext, input: CommandInput): Promise<Reply> {
  const { db, vocabulary } = ctx.services;
  const start: SearchCursor = input.cursor
    ? decodeSearchCursor(input.cursor, vocabulary)
    : { query: parseQuery(input.text, { vocabulary, today: dayIn(ctx.now(), callerTimeZone(ctx)) }), offset: 0, maxPk: null };
  const { query, offset } = start;
  if (!input.cursor && input.text.trim() && isEmptyQuery(query)) {
    throw new UserError('There is nothing I can search for in that. Use tags, dates or words, e.g. `/papers MoE offloading last month`.');
  }
  if (query.like) return papersLike(ctx, start);
  const page = await searchPapers(db, query, { limit: PAGE_SIZE, offset, maxPk: start.maxPk });
  if (page.papers.length === 0) return offset > 0 ? { text: 'No more results.', private: true } : await nothingFound(ctx, query);
  const maxPk = start.maxPk ?? (page.hasMore ? await newestPaperPk(db) : null);
  // Later pages search what this one searched: a broad query keeps the start day chosen for it.
  const cursor = page.hasMore ? encodeSearchCursor({ query: page.query, offset: offset + PAGE_SIZE, maxPk }) : null;
  const actions: ReplyAction[] = [];
  if (cursor) actions.push({ kind: 'more', command: 'papers', cursor });
  if (query.tags.length === 1) actions.push({ kind: 'subscribe', tag: query.tags[0] as string });
  actions.push({ kind: 'share', command: 'papers', input: formatQuery(query) });
  return {
    text:
      `${headline(page.query)}: ${span(offset, page.papers.length, page.hasMore)}, ${hasText(query) ? 'best match first' : 'newest first'}.` +
      (page.narrowed ? `\n${describeNarrowing(page.query, DEFAULT_TUNING.broad)}` : '') +
      (page.newestSearched ? `\n${describeDroppedWindow(page.newestSearched)}` : ''),
    papers: query.includeDropped ? await viewsWithStanding(db, page.papers) : page.papers.map((paper) => toPaperView(paper)),
    cursor,
    private: true,
    actions,
  };
}

function headline(query: Query): string {
  if (isEmptyQuery(query)) return 'The newest papers';
  const description = describeQuery(query);
  return description.startsWith('papers') ? `P${description.slice(1)}` : description;
}

function span(offset: number, count: number, hasMore: boolean): string {
  if (offset === 0 && !hasMore) return count === 1 ? '1 paper' : `${count} papers`;
  return `${offset + 1}–${offset + count}${hasMore ? ' (more below)' : ' (the last page)'}`;
}

/** Says what was searched, and offers broader queries that a person can copy. */
async function nothingFound(ctx: CommandContext, query: Query): Promise<Reply> {
  if ((await newestPaperPk(ctx.services.db)) === null) {
    // At the terminal the person running the bot can act on the file's name; in a chat it is the operator's business.
    const text =
      ctx.caller.platform === 'console'
        ? emptyArchiveNote(ctx.services.db.path)
        : 'The archive is empty: nothing has been imported or ingested yet. Whoever runs the bot fills it with `lmsys-papers ingest` or `lmsys-papers import`.';
    return { text, private: true };
  }
  const suggestions = broaderQueries(query)
    .slice(0, 3)
    .map((broader) => `\`/papers ${codeSafe(formatQuery(broader))}\``);
  const hint = suggestions.length ? `Try ${suggestions.join(' or ')}.` : 'Try other words, fewer words, or a longer period such as `last month`.';
  return { text: `No ${describeQuery(query)}.\n${hint}`, private: true };
}

/** `like:<id>`: the paper's nearest neighbours, paged like a search. */
async function papersLike(ctx: CommandContext, start: SearchCursor): Promise<Reply> {
  const { query, offset } = start;
  const page = await ctx.services.similar.find(query, { limit: PAGE_SIZE, offset, maxPk: start.maxPk });
  if (page.papers.length === 0) return offset > 0 ? { text: 'No more results.', private: true } : nothingLike(page);
  const maxPk = start.maxPk ?? (page.hasMore ? await newestPaperPk(ctx.services.db) : null);
  const cursor = page.hasMore ? encodeSearchCursor({ query, offset: offset + PAGE_SIZE, maxPk }) : null;
  const actions: ReplyAction[] = [];
  if (cursor) actions.push({ kind: 'more', command: 'papers', cursor });
  actions.push({ kind: 'share', command: 'papers', input: formatQuery(query) });
  return {
    text: `${likeHeadline(page)}: ${span(offset, page.papers.length, page.hasMore)}, most similar first (${describeSimilarMethod(page.method)}).`,
    papers: page.papers.map((paper) => toPaperView(paper)),
    cursor,
    private: true,
    actions,
  };
}

/** "`MoE` papers like 2512.16473 “Title” since …": the paper's title is untrusted text, kept out of code spans. */
function likeHeadline(page: SimilarPage): string {
  const description = headline(page.query);
  const id = page.source.id;
  const title = codeSafe(page.source.title.length > 120 ? `${page.source.title.slice(0, 119)}…` : page.source.title);
  return description.replace(`like ${id}`, `like ${id} “${title}”`);
}

function nothingLike(page: SimilarPage): Reply {
  const suggestions = broaderQueries(page.query)
    .slice(0, 2)
    .map((broader) => `\`/papers ${codeSafe(formatQuery(broader))}\``);
  const hint = suggestions.length ? `\nTry ${suggestions.join(' or ')}.` : '';
  const filtered = suggestions.length > 0;
  const why = filtered ? '' : ': no other relevant paper in the archive shares a distinctive word with it';
  return { text: `No ${likeHeadline(page).replace(/^P/, 'p')}${why}.${hint}`, private: true };
}
