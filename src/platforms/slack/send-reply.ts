import type { RespondFn } from '@slack/bolt';
import type { Reply } from '../../domain/reply.ts';
import { renderReply } from './render-reply.ts';
import { SLACK_LIMITS } from './slack-limits.ts';
import { mrkdwnSection, type SlackMessage } from './slack-message.ts';

export type Visibility = 'ephemeral' | 'in_channel';

/**
 * Answers through the command's response_url: it works in any channel (the bot need not be a
 * member) and is the only way to show an ephemeral reply to whoever typed the command. It takes
 * five messages; a reply that would need more (none does at 8 papers a page) ends with a note.
 */
export async function sendReply(respond: RespondFn, reply: Reply, visibility: Visibility): Promise<void> {
  for (const message of withinResponseUrlUses(renderReply(reply, visibility === 'ephemeral'))) {
    await respond({
      response_type: visibility,
      replace_original: false,
      text: message.text,
      blocks: [...message.blocks],
      unfurl_links: false,
      unfurl_media: false,
    });
  }
}

function withinResponseUrlUses(messages: SlackMessage[]): SlackMessage[] {
  const uses = SLACK_LIMITS.responseUrlUses;
  if (messages.length <= uses) return messages;
  const note = 'That is more than fits here; narrow the search to see the rest.';
  return [...messages.slice(0, uses - 1), { text: note, blocks: [mrkdwnSection(note)] }];
}
