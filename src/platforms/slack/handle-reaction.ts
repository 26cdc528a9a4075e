import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from './answer-command.ts';
import { voter } from './handle-paper-menu.ts';
import { readReaction } from './reaction-vote.ts';
import { renderReply } from './render-reply.ts';

type ReactionArgs = SlackEventMiddlewareArgs<'reaction_added' | 'reaction_removed'> & AllMiddlewareArgs;

/**
 * 👍/👎 on a paper of a digest thread is a vote on that paper (`source: reaction`); taking the
 * reaction off takes that vote back, unless the person has voted the other way since. A reaction
 * anywhere else (the digest's header, alerts, people's messages), by any bot (this one included,
 * or another app's: users.info says so) or with any other emoji is ignored. Bolt acknowledges the event; the answer is an ephemeral message in the
 * thread, seen only by the voter — none for a take-back that changed nothing, and only the first
 * of a run of refusals when someone toggles very fast.
 */
export function reactionListener(deps: ListenerDeps, kind: 'added' | 'removed') {
  return async ({ event }: ReactionArgs): Promise<void> => {
    const target = readReaction(event, deps.botUserId);
    if (!target) return;
    await deps.inFlight.track(vote(deps, kind, event.user, target));
  };
}

async function vote(deps: ListenerDeps, kind: 'added' | 'removed', userId: string, target: NonNullable<ReturnType<typeof readReaction>>): Promise<void> {
  const log = deps.log.child({ module: 'slack', userId, channelId: target.channel, ts: target.ts });
  let message: Awaited<ReturnType<ListenerDeps['digestPapers']['paperOf']>>;
  try {
    message = await deps.digestPapers.paperOf(target.channel, target.ts);
  } catch (error) {
    log.warn({ err: error }, 'slack reaction not counted: the message could not be read');
    return;
  }
  if (!message.paperId) return;
  // The event does not say whether the reactor is a bot; users.info does (cached, and asked only for digest papers).
  if ((await deps.users.lookup(userId)).isBot) return;
  const caller = voter({ userId, userName: userId, channelId: target.channel });
  const answer = await deps.runner.vote(
    caller,
    kind === 'added'
      ? { paperId: message.paperId, value: target.value, source: 'reaction' }
      : { paperId: message.paperId, value: null, only: target.value, source: 'reaction' },
  );
  if (answer.quiet) return;
  const [shown] = renderReply(answer.reply, true);
  try {
    await deps.client.chat.postEphemeral({
      channel: target.channel,
      user: userId,
      text: shown?.text ?? '',
      blocks: [...(shown?.blocks ?? [])],
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    });
  } catch (error) {
    log.warn({ err: error, paperId: message.paperId }, 'slack vote answer not delivered');
  }
}
