import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/** One Slack message: `text` is the notification/fallback line, `blocks` what people see. */
export type SlackMessage = { readonly text: string; readonly blocks: readonly Block[] };

export function mrkdwnSection(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export function mrkdwnContext(texts: readonly string[]): types.ContextBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) };
}
