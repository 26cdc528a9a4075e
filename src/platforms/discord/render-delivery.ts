import type { AlertMessage, DigestMessage } from '../../domain/delivery.ts';
import { type DiscordMessage, NO_PINGS, packMessages } from './discord-message.ts';
import { escapeMarkdown } from './escape-markdown.ts';
import { renderPaperEmbed } from './render-paper-embed.ts';

/**
 * A channel digest: a header message ("12 papers · serving 5 · MoE 3") and the papers as follow-up
 * messages, ten or fewer to a message, split only between papers.
 */
export function renderDigest(digest: DigestMessage): DiscordMessage[] {
  const count = digest.papers.length;
  const tags = digest.tagCounts.map(([tag, n]) => `${escapeMarkdown(tag)} ${n}`);
  const summary = count === 0 ? 'no new papers' : [plural(count, 'paper'), ...tags].join(' · ');
  const header: DiscordMessage = { content: `**arXiv digest for ${digest.day}** — ${summary}`, embeds: [], components: [], allowed_mentions: NO_PINGS };
  if (count === 0) return [header];
  return [header, ...packMessages('', digest.papers.map(renderPaperEmbed))];
}

/**
 * A person's alert DM: what matched and why; new papers first, then newer versions of papers seen
 * before, then the papers picked for them by their own model (each embed says why).
 */
export function renderAlert(alert: AlertMessage): DiscordMessage[] {
  const fresh = alert.papers.filter((paper) => !paper.isUpdate);
  const updates = alert.papers.filter((paper) => paper.isUpdate);
  const picks = alert.picks ?? [];
  const parts = [fresh.length ? plural(fresh.length, 'new paper') : '', updates.length ? plural(updates.length, 'update') : ''].filter(Boolean);
  const matched = parts.length || !picks.length ? `${parts.join(' and ') || 'nothing new'} matching your subscriptions` : '';
  const picked = picks.length ? `${plural(picks.length, 'paper')} picked for you by your 👍 and 👎` : '';
  const content = [
    `**Your arXiv alert for ${alert.day}**: ${[matched, picked].filter(Boolean).join('; ')}.`,
    `\`/subscriptions\` shows what you follow; \`/unsubscribe\` stops it${picks.length ? ' (`/unsubscribe picks` stops the picks)' : ''}.`,
  ].join('\n');
  return packMessages(content, [...fresh, ...updates, ...picks].map(renderPaperEmbed));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
