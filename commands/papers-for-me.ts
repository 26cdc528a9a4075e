import { addDays, dayIn } from '../src/domain/calendar.ts';
import type { Platform } from '../src/domain/delivery.ts';
import { describeQuery } from '../src/domain/describe-query.ts';
import { UserError } from '../src/domain/errors.ts';
import { explainPick } from '../src/domain/explain-pick.ts';
import type { LinearModel } from '../src/domain/linear-model.ts';
import type { Paper } from '../src/domain/paper.ts';
import { toPaperView } from '../src/domain/paper-view.ts';
import { describeVotesNeeded, MIN_NEGATIVE_VOTES, MIN_POSITIVE_VOTES, personalFeatures, votesNeeded } from '../src/domain/personal-model.ts';
import { parseQuery, type Query } from '../src/domain/query.ts';
import type { PaperView, Reply } from '../src/domain/reply.ts';
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from '../src/domain/search-cursor.ts';
import { surfaceForms } from '../src/domain/text-features.ts';
import { bestForPerson } from '../src/pipeline/rank-for-person.ts';
import { currentPersonModel, paperText, voteCounts } from '../src/pipeline/refresh-person-model.ts';
import { papersByIds } from '../src/store/papers.ts';
import { likedPaperIds, personModelName, trainingState } from '../src/store/person-models.ts';
import { newestPaperPk } from '../src/store/search.ts';
import type { Voter } from '../src/store/votes.ts';
import { type CommandContext, type CommandInput, callerTimeZone } from './command.ts';

/** `/papers for me [dates]`: the person's own ranking of a period. */
const FOR_ME = /^\s*for\s+me(?:\s+|$)/i;
/** Later pages of `/papers for me` carry a search cursor behind this mark. */
const CURSOR_MARK = 'me.';
export const DEFAULT_DAYS = 7;
const PAGE_SIZE = 8;

export function isForMe(input: CommandInput): boolean {
  return input.cursor ? input.cursor.startsWith(CURSOR_MARK) : FOR_ME.test(input.text);
}

/**
 * The papers of a period (the last 7 days unless dates are given; tags and words narrow it) that
 * the caller's own model scores best, each with why, leaving out papers they voted on. Before the
 * model exists (5 👍 and 3 👎), a private note of how many more votes it takes.
 */
export async function papersForMe(ctx: CommandContext, input: CommandInput): Promise<Reply> {
  const { db, vocabulary } = ctx.services;
  const voter: Voter = { platform: ctx.caller.platform, userId: ctx.caller.userId };
  const model = await currentPersonModel(db, voter, ctx.now());
  if (!model) return { text: await tooFewVotes(ctx, voter), private: true };
  const start: SearchCursor = input.cursor
    ? decodeSearchCursor(input.cursor.slice(CURSOR_MARK.length), vocabulary)
    : { query: withDefaultPeriod(ctx, input.text.replace(FOR_ME, '')), offset: 0, maxPk: null };
  const { query, offset } = start;
  const best = await bestForPerson(db, query, { limit: PAGE_SIZE, offset, maxPk: start.maxPk }, model, voter);
  if (best.papers.length === 0) {
    return { text: offset > 0 ? 'No more results.' : `No ${describeQuery(query)} that you have not voted on already.`, private: true };
  }
  const maxPk = start.maxPk ?? (best.hasMore ? await newestPaperPk(db) : null);
  const cursor = best.hasMore ? `${CURSOR_MARK}${encodeSearchCursor({ query, offset: offset + PAGE_SIZE, maxPk })}` : null;
  const [positives, negatives] = voteCounts(await trainingState(db, voter));
  const span = `${offset + 1}–${offset + best.papers.length}${best.hasMore ? ' (more below)' : ''}`;
  const capped = best.capped ? ' (the first 1,000 found)' : '';
  return {
    text: `Best for you of ${best.ranked} ${describeQuery(query)}${capped}, by your ${positives} 👍 and ${negatives} 👎: ${span}. Papers you voted on are left out.`,
    papers: await explained(ctx, voter, model, best.papers),
    cursor,
    private: true,
    actions: cursor ? [{ kind: 'more', command: 'papers', cursor }] : [],
  };
}

function withDefaultPeriod(ctx: CommandContext, text: string): Query {
  const today = dayIn(ctx.now(), callerTimeZone(ctx));
  const query = parseQuery(text, { vocabulary: ctx.services.vocabulary, today });
  if (query.like) throw new UserError('`/papers for me` ranks a period by your votes; for papers like one paper, use `/papers like:<arXiv id>`.');
  if (query.range) return query;
  return { ...query, range: { from: addDays(today, 1 - DEFAULT_DAYS), to: today }, rangeLabel: `the last ${DEFAULT_DAYS} days` };
}

async function explained(ctx: CommandContext, voter: Voter, model: LinearModel, papers: readonly Paper[]): Promise<PaperView[]> {
  const likedIds = (await likedPaperIds(ctx.services.db, [voter])).get(personModelName(voter)) ?? [];
  const liked = (await papersByIds(ctx.services.db, likedIds)).map((paper) => ({
    id: paper.id,
    title: paper.title,
    features: personalFeatures(paperText(paper)),
  }));
  return papers.map((paper) => {
    const forms = surfaceForms(paper.title, paper.abstract, paper.classification.tldr ?? '');
    return { ...toPaperView(paper), pick: explainPick(model, personalFeatures(paperText(paper)), forms, liked) };
  });
}

/** How many more votes the person's own ranking needs, and how to cast them here. */
export async function tooFewVotes(ctx: CommandContext, voter: Voter): Promise<string> {
  const [positives, negatives] = voteCounts(await trainingState(ctx.services.db, voter));
  const needed = describeVotesNeeded(votesNeeded(positives, negatives) ?? { positive: 0, negative: 0 });
  return `Your own ranking starts once you have marked ${MIN_POSITIVE_VOTES} papers 👍 relevant and ${MIN_NEGATIVE_VOTES} 👎 not relevant; you have ${positives} 👍 and ${negatives} 👎, so ${needed} to go. ${howToVote(ctx.caller.platform)}`;
}

export function howToVote(platform: Platform): string {
  if (platform === 'console') return 'Mark papers with `/like <arXiv id>` and `/dislike <arXiv id>`.';
  if (platform === 'email') return 'Mark papers with the links in your alert emails.';
  return 'Mark papers with the 👍/👎 buttons or reactions under the digest, your alerts and `/papers` results.';
}
