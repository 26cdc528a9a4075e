import type { VoteValue } from '../../store/votes.ts';

/**
 * Which reactions are votes: 👍 and 👎 under the names Slack sends (`+1`, `-1`; `thumbsup`,
 * `thumbsdown` are their aliases, and some clients send those) in any skin tone
 * (`+1::skin-tone-3`). Every other emoji is only an emoji.
 */
const VOTES: Readonly<Record<string, VoteValue>> = {
  '+1': 'relevant',
  thumbsup: 'relevant',
  '-1': 'not-relevant',
  thumbsdown: 'not-relevant',
};

export function reactionVote(reaction: string): VoteValue | null {
  const name = reaction.replace(/::skin-tone-[2-6]$/, '');
  return VOTES[name] ?? null;
}

/** A reaction event as the listener needs it (reaction_added and reaction_removed have the same shape). */
export type ReactionEvent = {
  readonly user: string;
  readonly reaction: string;
  /** Who wrote the message reacted to; absent for messages no user wrote (incoming webhooks). */
  readonly item_user?: string;
  readonly item: { readonly type: string; readonly channel?: string; readonly ts?: string };
};

export type ReactionTarget = { readonly value: VoteValue; readonly channel: string; readonly ts: string };

/**
 * A reaction that may be a vote: 👍 or 👎, by a person (not the bot itself), on a message the bot
 * wrote. Which paper it is about, if any, depends on that message (see `digest-papers.ts`).
 */
export function readReaction(event: ReactionEvent, botUserId: string): ReactionTarget | null {
  const value = reactionVote(event.reaction);
  if (!value || !event.user || event.user === botUserId) return null;
  if (event.item.type !== 'message' || !event.item.channel || !event.item.ts) return null;
  if (event.item_user !== undefined && event.item_user !== botUserId) return null;
  return { value, channel: event.item.channel, ts: event.item.ts };
}
