import { dayIn } from '../src/domain/calendar.ts';
import type { Reply } from '../src/domain/reply.ts';
import { papersByIds } from '../src/store/papers.ts';
import { type Vote, type VoteSource, votesOf } from '../src/store/votes.ts';
import { type Command, type CommandContext, callerTimeZone, codeSafe } from './command.ts';
import { quotedTitle } from './describe-vote.ts';

const SHOWN = 20;
/** Counted up to here; past it the reply says "more than". */
const COUNTED = 500;

const WHERE: Record<VoteSource, string> = {
  digest: 'from a digest',
  alert: 'from an alert',
  search: 'from a search',
  reaction: 'by a reaction',
  command: 'typed',
  web: 'on the web',
  email: 'from an email',
};

/** `/feedback`: your own votes on this platform, newest first, with how to change them. */
export const feedbackCommand: Command = {
  name: 'feedback',
  aliases: ['votes'],
  description: 'List your own relevant / not relevant votes on papers, newest first',
  usage: '',
  examples: ['feedback'],
  options: [],
  run: listVotes,
};

async function listVotes(ctx: CommandContext): Promise<Reply> {
  const votes = await votesOf(ctx.services.db, { platform: ctx.caller.platform, userId: ctx.caller.userId }, COUNTED + 1);
  if (votes.length === 0) {
    return {
      text: 'You have not voted on any paper yet. Mark one with `/like <arXiv id>` or `/dislike <arXiv id>`, or with the ⋯ menu (👍 / 👎) on a paper in a digest.',
      private: true,
    };
  }
  const shown = votes.slice(0, SHOWN);
  const titles = new Map(
    (
      await papersByIds(
        ctx.services.db,
        shown.map((vote) => vote.paperId),
      )
    ).map((paper) => [paper.id, paper.title]),
  );
  const zone = callerTimeZone(ctx);
  const count = votes.length > COUNTED ? `more than ${COUNTED} votes` : votes.length === 1 ? '1 vote' : `${votes.length} votes`;
  const lines = [`Your ${count} on ${ctx.caller.platform === 'console' ? 'this console' : capitalized(ctx.caller.platform)}, newest first:`];
  for (const vote of shown) lines.push(line(vote, titles.get(vote.paperId) ?? '(no longer in the archive)', zone));
  if (votes.length > SHOWN) lines.push(`… and ${votes.length - SHOWN}${votes.length > COUNTED ? '+' : ''} older.`);
  lines.push('Change one with `/like <id>` or `/dislike <id>`; take one back with `/unvote <id>`.');
  return { text: lines.join('\n'), private: true };
}

function line(vote: Vote, title: string, zone: string): string {
  const mark = vote.value === 'relevant' ? '👍 relevant' : '👎 not relevant';
  return `• ${mark} · ${quotedTitle(title)} · \`${codeSafe(vote.paperId)}\` · ${WHERE[vote.source]}, ${dayIn(new Date(vote.updatedAt), zone)}`;
}

function capitalized(platform: string): string {
  return `${platform.charAt(0).toUpperCase()}${platform.slice(1)}`;
}
