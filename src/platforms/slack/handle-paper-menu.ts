import type { AllMiddlewareArgs, BlockAction, OverflowAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { VoteRequest } from '../../../commands/vote-on-paper.ts';
import { moreLikeThis } from '../../domain/paper-actions.ts';
import { answerCommand, type ListenerDeps, type PayloadUser } from './answer-command.ts';
import type { SlackCaller } from './command-port.ts';
import { readPaperMenuValue } from './paper-menu.ts';
import { sendReply } from './send-reply.ts';

type OverflowArgs = SlackActionMiddlewareArgs<BlockAction<OverflowAction>> & AllMiddlewareArgs;

const EXPIRED = 'That menu no longer works (the bot was updated since). Use `/like <id>` or `/dislike <id>` instead.';

/**
 * A pick in a paper's ⋯ menu: ack at once, record the vote (or, for "More like this", run
 * `/papers like:<id>`), answer the picker privately through the response_url (in a channel too:
 * nobody else sees it). A value this version did not make is
 * refused with a note rather than guessed at.
 */
export function paperMenuListener(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: OverflowArgs): Promise<void> => {
    await ack();
    const pick = readPaperMenuValue(action.selected_option?.value);
    if (!pick) return refuse(respond, deps, body);
    if (pick.choice === 'like') {
      const like = moreLikeThis(pick.paperId);
      await answerCommand(deps, respond, pickedBy(body), { command: like.command, text: like.input, forcePrivate: true });
      return;
    }
    const vote: VoteRequest = { paperId: pick.paperId, value: pick.choice === 'clear' ? null : pick.choice, source: pick.source };
    await deps.inFlight.track(answerVote(deps, respond, voter(pickedBy(body)), vote));
  };
}

async function answerVote(deps: ListenerDeps, respond: RespondFn, caller: SlackCaller, vote: VoteRequest): Promise<void> {
  const answer = await deps.runner.vote(caller, vote);
  await sendReply(respond, answer.reply, 'ephemeral').catch((error: unknown) => {
    deps.log.error({ err: error, module: 'slack', userId: caller.userId, paperId: vote.paperId }, 'slack vote answer not delivered');
  });
}

async function refuse(respond: RespondFn, deps: ListenerDeps, body: BlockAction): Promise<void> {
  deps.log.warn({ module: 'slack', userId: body.user.id }, 'slack paper menu value not ours');
  await respond({ response_type: 'ephemeral', replace_original: false, text: EXPIRED });
}

function pickedBy(body: BlockAction): PayloadUser {
  return { userId: body.user.id, userName: body.user.username ?? body.user.name ?? body.user.id, channelId: body.channel?.id ?? null };
}

/**
 * Who voted. A vote needs only the person's id (Slack signed the payload that names them), so it
 * does not wait for users.info: the answer comes in one database transaction.
 */
export function voter(user: PayloadUser): SlackCaller {
  return { platform: 'slack', userId: user.userId, displayName: user.userName, channelId: user.channelId, canAdministerChannel: false, timeZone: null };
}
