import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { answerCommand, type ListenerDeps } from './answer-command.ts';
import { unescapeSlackText } from './escape-mrkdwn.ts';

/** Commands whose results may be shown to the channel with a trailing `public`. */
export const SHAREABLE_COMMANDS: ReadonlySet<string> = new Set(['papers']);

/**
 * `/papers …`, `/subscribe …`, …: ack at once (Slack shows an error after 3 s), then run the
 * command and answer through response_url. The ack carries no text, so nothing is posted twice.
 */
export function slashCommandListener(deps: ListenerDeps) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const name = command.command.replace(/^\//, '').toLowerCase();
    const { text, wantsPublic } = readCommandText(name, command.text ?? '');
    await answerCommand(
      deps,
      respond,
      { userId: command.user_id, userName: command.user_name, channelId: command.channel_id || null },
      { command: name, text, forcePublic: wantsPublic },
    );
  };
}

/** Slack escapes `& < >` in what people type; a trailing `public` on a shareable command shows the answer to the channel. */
export function readCommandText(command: string, raw: string): { text: string; wantsPublic: boolean } {
  const text = unescapeSlackText(raw).trim();
  if (!SHAREABLE_COMMANDS.has(command)) return { text, wantsPublic: false };
  const match = /^(?:(.*)\s+)?public$/is.exec(text);
  if (!match) return { text, wantsPublic: false };
  return { text: (match[1] ?? '').trim(), wantsPublic: true };
}
