import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { ReplyAction } from '../../domain/reply.ts';
import { clipPlain } from './escape-mrkdwn.ts';
import { SLACK_LIMITS } from './slack-limits.ts';

/** Block action ids the app listens for; one per ReplyAction kind. */
export const ACTION_IDS = { more: 'papers_more', subscribe: 'papers_subscribe', share: 'papers_share' } as const;

const MoreValueSchema = z.object({ command: z.string().min(1), cursor: z.string().min(1) });
const ShareValueSchema = z.object({ command: z.string().min(1), input: z.string() });

export type MoreValue = z.infer<typeof MoreValueSchema>;
export type ShareValue = z.infer<typeof ShareValueSchema>;

/**
 * The buttons under a reply. A button whose value would pass Slack's 2,000 characters is left
 * out rather than sent truncated (a cut cursor would page wrongly). `share` is offered only on
 * private replies: a public one has nothing to share.
 */
export function replyButtons(actions: readonly ReplyAction[], isPrivate: boolean): types.Button[] {
  return actions.flatMap((action): types.Button[] => {
    if (action.kind === 'more') return button(ACTION_IDS.more, 'More results', JSON.stringify({ command: action.command, cursor: action.cursor }), 'primary');
    if (action.kind === 'subscribe') return button(ACTION_IDS.subscribe, `Subscribe to ${action.tag}`, action.tag);
    if (!isPrivate) return [];
    return button(ACTION_IDS.share, 'Share in channel', JSON.stringify({ command: action.command, input: action.input }));
  });
}

function button(actionId: string, label: string, value: string, style?: 'primary'): types.Button[] {
  if (value.length > SLACK_LIMITS.buttonValue) return [];
  const text: types.PlainTextElement = { type: 'plain_text', text: clipPlain(label, SLACK_LIMITS.buttonText), emoji: false };
  return [{ type: 'button', action_id: actionId, text, value, ...(style ? { style } : {}) }];
}

/** Reads a button value back; null when it is not ours (an old or forged payload). */
export function readMoreValue(value: string | undefined): MoreValue | null {
  return parseJson(MoreValueSchema, value);
}

export function readShareValue(value: string | undefined): ShareValue | null {
  return parseJson(ShareValueSchema, value);
}

function parseJson<T>(schema: z.ZodType<T>, value: string | undefined): T | null {
  if (!value) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
