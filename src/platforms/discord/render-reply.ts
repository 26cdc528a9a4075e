import type { APIEmbed } from 'discord.js';
import type { PaperView, Reply } from '../../domain/reply.ts';
import { type ActionRow, type DiscordMessage, packMessages } from './discord-message.ts';
import { renderReplyText } from './escape-markdown.ts';
import { renderPaperEmbed } from './render-paper-embed.ts';
import { type VoteSource, voteSelects } from './vote-components.ts';

/** A command's Reply as Discord messages: the text, then one embed per paper (with menus to vote on them), the buttons on the last message. */
export function renderReply(reply: Reply, buttons: readonly ActionRow[] = []): DiscordMessage[] {
  return packPapers(renderReplyText(reply.text), reply.papers ?? [], 'search', buttons);
}

/**
 * Text and papers packed into messages (packMessages), each message with papers getting the vote
 * menus for its own papers above the rows it already has (the buttons, on the last one).
 */
export function packPapers(content: string, papers: readonly PaperView[], source: VoteSource, buttons: readonly ActionRow[] = []): DiscordMessage[] {
  const paperOf = new Map<APIEmbed, PaperView>(papers.map((paper) => [renderPaperEmbed(paper), paper]));
  return packMessages(content, [...paperOf.keys()], buttons).map((message) => {
    const shown = message.embeds.flatMap((embed) => paperOf.get(embed) ?? []);
    return shown.length ? { ...message, components: [...voteSelects(shown, source), ...message.components] } : message;
  });
}
