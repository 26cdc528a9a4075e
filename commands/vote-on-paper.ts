import { parseArxivId } from '../src/domain/arxiv-id.ts';
import { UserError } from '../src/domain/errors.ts';
import type { Reply } from '../src/domain/reply.ts';
import { recordVote } from '../src/pipeline/apply-vote.ts';
import { getPaper } from '../src/store/papers.ts';
import type { VoteChange, VoteSource, VoteValue } from '../src/store/votes.ts';
import { type CommandContext, codeSafe } from './command.ts';
import { describeVote } from './describe-vote.ts';
import { SOMETHING_WENT_WRONG } from './run-command.ts';

/** A vote as an adapter hands it over: a click, a reaction, a typed `/like`. `value` null takes the vote back. */
export type VoteRequest = {
  /** As the button, reaction or person gave it: an arXiv id, maybe versioned or a URL. */
  readonly paperId: string;
  readonly value: VoteValue | null;
  /** Where it was cast (a digest, an alert, a search answer, a reaction, a command). */
  readonly source: VoteSource;
  /** With `value` null: take the vote back only if it is this one (a 👍 removed leaves a later 👎). */
  readonly only?: VoteValue;
};

/**
 * The private answer, and whether an adapter may keep quiet about it: `quiet` for a refusal repeated
 * within the same minute and for a take-back that changed nothing (a reaction removed after a vote
 * the other way). `change` is null when nothing was recorded (a mistake, the rate limit, a bug).
 */
export type VoteAnswer = { readonly reply: Reply; readonly quiet: boolean; readonly change: VoteChange | null };

/**
 * The one way every platform votes: checks the paper id and the person's pace, records the vote
 * (which may bring a paper the filter dropped into the archive), and says privately what changed.
 * Never throws: a mistake is a private reply, a bug is logged and gets a generic one.
 */
export async function voteOnPaper(ctx: CommandContext, request: VoteRequest): Promise<VoteAnswer> {
  try {
    return await vote(ctx, request);
  } catch (error) {
    if (error instanceof UserError) return { reply: { text: error.message, private: true }, quiet: false, change: null };
    const { caller } = ctx;
    ctx.services.log.error({ err: error, platform: caller.platform, userId: caller.userId, paperId: request.paperId, source: request.source }, 'vote failed');
    return { reply: { text: SOMETHING_WENT_WRONG, private: true }, quiet: false, change: null };
  }
}

async function vote(ctx: CommandContext, request: VoteRequest): Promise<VoteAnswer> {
  const paperId = readPaperId(request.paperId);
  const { caller, services } = ctx;
  const verdict = services.voteLimiter.take(`${caller.platform}:${caller.userId}`, ctx.now());
  if (!verdict.allowed) {
    const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    const text = `That is a lot of votes in a minute; this one was not counted. Try again in ${seconds} s.`;
    return { reply: { text, private: true }, quiet: !verdict.tell, change: null };
  }
  const paper = await getPaper(services.db, paperId);
  if (!paper) throw new UserError(`The archive has no paper \`${codeSafe(paperId)}\`, so there is nothing to vote on.`);
  const recorded = await recordVote(
    { db: services.db, now: ctx.now, tagsFor: services.tagsFor },
    {
      platform: caller.platform,
      userId: caller.userId,
      paperId,
      value: request.value,
      source: request.source,
      ...(request.only ? { only: request.only } : {}),
    },
  );
  const quiet = request.value === null && (recorded.change === 'none' || recorded.change === 'unchanged');
  return { reply: { text: describeVote(paper.title, recorded), private: true }, quiet, change: recorded.change };
}

/** The base id of what was typed or carried; a UserError for anything else. */
export function readPaperId(text: string): string {
  const typed = text.trim();
  const id = parseArxivId(typed);
  if (!id) {
    const shown = typed ? `“${codeSafe(typed.slice(0, 60))}” is not an arXiv id` : 'Which paper?';
    throw new UserError(`${shown}: give one such as \`2512.16473\` or \`https://arxiv.org/abs/2512.16473\`.`);
  }
  return id.base;
}
