import type { Reply } from '../../domain/reply.ts';
import { type ActionRow, type DiscordMessage, packMessages } from './discord-message.ts';
import { renderReplyText } from './escape-markdown.ts';
import { renderPaperEmbed } from './render-paper-embed.ts';

/** A command's Reply as Discord messages: the text, then one embed per paper, the buttons on the last message. */
export function renderReply(reply: Reply, buttons: readonly ActionRow[] = []): DiscordMessage[] {
  return packMessages(renderReplyText(reply.text), (reply.papers ?? []).map(renderPaperEmbed), buttons);
}
