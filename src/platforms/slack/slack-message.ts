import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/**
 * One Slack message: `text` is the notification/fallback line, `blocks` what people see.
 * `paperIds`: the papers it shows, carried in a delivery's message metadata (a reaction on it is a
 * vote on its paper when it shows exactly one).
 */
export type SlackMessage = { readonly text: string; readonly blocks: readonly Block[]; readonly paperIds?: readonly string[] };

export function mrkdwnSection(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export function mrkdwnContext(texts: readonly string[]): types.ContextBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) };
}
