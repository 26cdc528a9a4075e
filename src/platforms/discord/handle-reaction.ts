import type { Message, MessageReaction, PartialMessage, PartialMessageReaction, PartialUser, User } from 'discord.js';
import type { VoteValue } from '../../store/votes.ts';
import type { CommandPort, DiscordCaller } from './command-port.ts';
import type { InteractionDeps } from './handle-interaction.ts';
import { parseVoteButton } from './vote-components.ts';

/** 👍 and 👎 in any skin tone (a modifier U+1F3FB–U+1F3FF follows the base emoji) are votes; other emoji are emoji. */
export function reactionVote(emoji: string | null): VoteValue | null {
  const base = (emoji ?? '').replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '');
  return base === '👍' ? 'relevant' : base === '👎' ? 'not-relevant' : null;
}

export type ReactionDeps = Pick<InteractionDeps, 'log'> & { readonly port: Pick<CommandPort, 'vote'>; readonly botId: () => string | null };

/**
 * 👍/👎 on a digest paper's message is a vote on that paper (`source: reaction`); taking it off
 * takes that vote back unless the person has voted the other way since. The paper is read from the
 * message's own vote buttons (fetched once when discord.js has not seen the message: the digest was
 * posted over REST). Reactions elsewhere, by bots (this one included) or with other emoji are
 * ignored. Discord has no private message outside an interaction, so a reaction is answered by
 * nothing but itself: `/feedback` lists it.
 */
export async function handleReaction(
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  kind: 'added' | 'removed',
  deps: ReactionDeps,
): Promise<void> {
  const value = reactionVote(reaction.emoji.name);
  const botId = deps.botId();
  if (!value || !botId || user.id === botId || user.bot === true) return;
  let message: Message | PartialMessage;
  try {
    message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
  } catch (error) {
    deps.log.warn(
      { err: error, channelId: reaction.message.channelId, messageId: reaction.message.id },
      'discord reaction not counted: the message could not be read',
    );
    return;
  }
  if (message.author?.id !== botId) return;
  const paperId = digestPaperOf(message);
  if (!paperId) return;
  const caller: DiscordCaller = {
    platform: 'discord',
    userId: user.id,
    displayName: user.username ?? user.id,
    channelId: message.channelId,
    canAdministerChannel: false,
    timeZone: null,
  };
  const answer = await deps.port.vote(
    caller,
    kind === 'added' ? { paperId, value, source: 'reaction' } : { paperId, value: null, only: value, source: 'reaction' },
  );
  deps.log.debug({ userId: user.id, paperId, kind, change: answer.change }, 'discord reaction vote');
}

/** The one paper a digest message shows, named by its vote buttons; null for any other message. */
function digestPaperOf(message: Message | PartialMessage): string | null {
  for (const row of message.components ?? []) {
    if (!('components' in row)) continue;
    for (const component of row.components) {
      const press = 'customId' in component && component.customId ? parseVoteButton(component.customId) : null;
      if (press?.source === 'digest') return press.paperId;
    }
  }
  return null;
}
