import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import { LIMITS } from './discord-limits.ts';
import { embedLength } from './render-paper-embed.ts';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One message as the REST API takes it. Pings are off on every message we send. */
export type DiscordMessage = {
  readonly content: string;
  readonly embeds: readonly APIEmbed[];
  readonly components: readonly ActionRow[];
  readonly allowed_mentions: { readonly parse: readonly [] };
};

export const NO_PINGS = { parse: [] } as const;

/**
 * Splits content and embeds into messages Discord accepts: content in 2,000-character pieces cut at
 * line ends, embeds whole (a paper is never split) at most 10 and 6,000 characters per message.
 * The first embeds ride with the last piece of content; the components go on the last message.
 */
export function packMessages(content: string, embeds: readonly APIEmbed[], components: readonly ActionRow[] = []): DiscordMessage[] {
  const pieces = splitContent(content);
  const groups = groupEmbeds(embeds);
  const messages = pieces.map((piece) => ({ content: piece, embeds: [] as readonly APIEmbed[] }));
  const last = messages.at(-1);
  if (last && groups.length) last.embeds = groups.shift() ?? [];
  for (const group of groups) messages.push({ content: '', embeds: group });
  if (messages.length === 0) messages.push({ content: '\u200b', embeds: [] });
  return messages.map((message, index) => ({
    content: message.content,
    embeds: message.embeds,
    components: index === messages.length - 1 ? components : [],
    allowed_mentions: NO_PINGS,
  }));
}

function groupEmbeds(embeds: readonly APIEmbed[]): APIEmbed[][] {
  const groups: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let total = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (current.length === LIMITS.embedsPerMessage || (current.length > 0 && total + length > LIMITS.embedTotal)) {
      groups.push(current);
      current = [];
      total = 0;
    }
    current.push(embed);
    total += length;
  }
  if (current.length) groups.push(current);
  return groups;
}

/** Pieces of at most 2,000 characters, cut after a newline, else after a space, else anywhere. */
function splitContent(content: string): string[] {
  const pieces: string[] = [];
  let rest = content;
  while (rest.length > LIMITS.content) {
    const window = rest.slice(0, LIMITS.content);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    let end = cut > LIMITS.content / 2 ? cut + 1 : LIMITS.content;
    // Never leave an escaping backslash at the end of a piece: it would escape nothing, and the next piece would start unescaped.
    while (end > 1 && rest[end - 1] === '\\') end--;
    pieces.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}
