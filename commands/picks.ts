import { describeVotesNeeded, votesNeeded } from '../src/domain/personal-model.ts';
import type { Reply } from '../src/domain/reply.ts';
import { voteCounts } from '../src/pipeline/refresh-person-model.ts';
import { addPickSubscription, hasPickSubscription, removePickSubscription, trainingState } from '../src/store/person-models.ts';
import type { Voter } from '../src/store/votes.ts';
import type { CommandContext } from './command.ts';
import { howToVote } from './papers-for-me.ts';

/** What `/subscribe` and `/unsubscribe` take for "Picked for you" (a keyword "picks" would be `"picks"`). */
export const PICKS = 'picks';

export function isPicks(text: string): boolean {
  return text.trim().toLowerCase() === PICKS;
}

const WHAT =
  'once a day, with your alert (or alone when nothing matched), up to 5 new papers that none of your subscriptions matched and that your own 👍/👎 say you would like, each with why.';

export async function subscribePicks(ctx: CommandContext): Promise<Reply> {
  const voter = callerOf(ctx);
  const added = await addPickSubscription(ctx.services.db, voter, ctx.now().toISOString());
  const head = added ? `“Picked for you” is on: ${WHAT}` : '“Picked for you” was on already; nothing changed.';
  return { text: `${head}\n${await progress(ctx, voter)}\n\`/unsubscribe picks\` stops it.`, private: true };
}

export async function unsubscribePicks(ctx: CommandContext): Promise<Reply> {
  const removed = await removePickSubscription(ctx.services.db, callerOf(ctx));
  return {
    text: removed
      ? '“Picked for you” is off: no more picks. Your votes stay, and `/subscribe picks` turns it on again.'
      : '“Picked for you” was not on; nothing changed.',
    private: true,
  };
}

/** For `/subscriptions`: whether picks are on and, if they cannot start yet, how many votes they need. Null when off. */
export async function picksLine(ctx: CommandContext): Promise<string | null> {
  const voter = callerOf(ctx);
  if (!(await hasPickSubscription(ctx.services.db, voter))) return null;
  return `“Picked for you” is on. ${await progress(ctx, voter)}`;
}

/** Where the person's votes stand: enough, or how many more of each. */
async function progress(ctx: CommandContext, voter: Voter): Promise<string> {
  const [positives, negatives] = voteCounts(await trainingState(ctx.services.db, voter));
  const needed = votesNeeded(positives, negatives);
  if (!needed) return `Your ${positives} 👍 and ${negatives} 👎 are enough: picks come with the next daily alert that has any.`;
  return `Picks start after ${describeVotesNeeded(needed)} (you have ${positives} 👍 and ${negatives} 👎). ${howToVote(ctx.caller.platform)}`;
}

function callerOf(ctx: CommandContext): Voter {
  return { platform: ctx.caller.platform, userId: ctx.caller.userId };
}
