import type { AllMiddlewareArgs, BlockAction, ButtonAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerCommand, type ListenerDeps, type PayloadUser } from './answer-command.ts';
import { ACTION_IDS, readMoreValue, readShareValue } from './reply-buttons.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const EXPIRED = 'That button no longer works (the bot was updated since). Run the command again.';

/** "More results": the same command with the reply's cursor; the next page is shown to whoever pressed. */
export function moreResultsListener(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const value = readMoreValue(action.value);
    if (!value) return expired(respond);
    await answerCommand(deps, respond, pressedBy(body), { command: value.command, text: '', cursor: value.cursor, forcePrivate: true });
  };
}

/** "Subscribe to <tag>": `/subscribe <tag>` for whoever pressed. */
export function subscribeListener(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    if (!action.value) return expired(respond);
    await answerCommand(deps, respond, pressedBy(body), { command: 'subscribe', text: action.value });
  };
}

/** "Share in channel": runs the search again and posts the first page for everyone. */
export function shareListener(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const value = readShareValue(action.value);
    if (!value) return expired(respond);
    await answerCommand(deps, respond, pressedBy(body), { command: value.command, text: value.input, forcePublic: true });
  };
}

export const BUTTON_LISTENERS = [
  [ACTION_IDS.more, moreResultsListener],
  [ACTION_IDS.subscribe, subscribeListener],
  [ACTION_IDS.share, shareListener],
] as const;

function pressedBy(body: BlockAction): PayloadUser {
  return { userId: body.user.id, userName: body.user.username ?? body.user.name ?? body.user.id, channelId: body.channel?.id ?? null };
}

async function expired(respond: RespondFn): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, text: EXPIRED });
}
