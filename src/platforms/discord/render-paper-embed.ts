import type { APIEmbed, APIEmbedField } from 'discord.js';
import { type PaperView, STANDING_WORDS } from '../../domain/reply.ts';
import { LIMITS } from './discord-limits.ts';
import { escapeMarkdown, fitEscaped } from './escape-markdown.ts';

const ACCENT = 0xb31b1b; // arXiv red
const UPDATE_ACCENT = 0x6c757d;
/** Keeps one paper far below the 6,000-character message total, so ten short ones still share a message. */
const TLDR_MAX = 1500;
const AUTHORS_MAX = 300;

/**
 * One paper as one embed: the title links to the abstract page, the TL;DR is the description,
 * then tags, day, authors and (in alerts) why this person gets it. Every string from arXiv or the
 * LLM is escaped; links are only ours (arxiv.org, built from the id) and only http(s).
 */
export function renderPaperEmbed(paper: PaperView): APIEmbed {
  const prefix = paper.isUpdate ? `Updated (v${paper.version}): ` : '';
  const fields: APIEmbedField[] = [];
  if (paper.tags.length) fields.push({ name: 'Tags', value: fitCodeSpans(paper.tags), inline: true });
  if (paper.day) fields.push({ name: 'Announced', value: escapeMarkdown(paper.day), inline: true });
  if (paper.authors.length) fields.push({ name: 'Authors', value: authorList(paper.authors) });
  if (paper.reasons?.length) fields.push({ name: 'Why you get this', value: fitEscaped(paper.reasons.join(', '), LIMITS.fieldValue) });
  if (paper.standing) fields.push({ name: 'Not in the archive’s papers', value: STANDING_WORDS[paper.standing], inline: true });
  const links = [httpUrl(paper.url) && `[abstract](${paper.url})`, httpUrl(paper.pdfUrl) && `[PDF](${paper.pdfUrl})`].filter(Boolean);
  if (links.length) fields.push({ name: 'Links', value: links.join(' · '), inline: true });
  return {
    title: `${prefix}${fitEscaped(paper.title, LIMITS.title - prefix.length)}`,
    ...(httpUrl(paper.url) ? { url: paper.url } : {}),
    ...(paper.tldr ? { description: fitEscaped(paper.tldr, TLDR_MAX) } : {}),
    color: paper.isUpdate ? UPDATE_ACCENT : ACCENT,
    fields,
    footer: { text: `arXiv:${paper.id}v${paper.version}` },
  };
}

/** Discord's count for the 6,000-character total: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + fields + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
}

function authorList(authors: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const author of authors) {
    if (length + author.length > AUTHORS_MAX) break;
    shown.push(author);
    length += author.length + 2;
  }
  const list = shown.length ? escapeMarkdown(shown.join(', ')) : fitEscaped(authors[0] ?? '', AUTHORS_MAX);
  const rest = authors.length - Math.max(shown.length, 1);
  return rest > 0 ? `${list} and ${rest} more` : list;
}

function fitCodeSpans(tags: readonly string[]): string {
  const spans = tags.map((tag) => `\`${tag.replaceAll('`', 'ʼ')}\``).join(' ');
  return spans.length <= LIMITS.fieldValue ? spans : fitEscaped(tags.join(', '), LIMITS.fieldValue);
}

function httpUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>()]+$/.test(url);
}
