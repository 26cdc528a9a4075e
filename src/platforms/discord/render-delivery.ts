import type { AlertMessage, DigestMessage } from '../../domain/delivery.ts';
import { plural } from '../../domain/plural.ts';
import { type DiscordMessage, NO_PINGS } from './discord-message.ts';
import { escapeMarkdown } from './escape-markdown.ts';
import { renderPaperEmbed } from './render-paper-embed.ts';
import { packPapers } from './render-reply.ts';
import { voteButtons } from './vote-components.ts';

/**
 * A channel digest: a header message ("12 papers · serving 5 · MoE 3") and each paper as its own
 * message with its vote buttons. One paper a message is what makes a 👍 or 👎 reaction on a message
 * a vote on exactly one paper; Discord takes five messages per 5 s in a channel, so a busy day
 * (40 papers) takes about 40 s, paced by discord.js.
 */
export function renderDigest(digest: DigestMessage): DiscordMessage[] {
  const count = digest.papers.length;
  const tags = digest.tagCounts.map(([tag, n]) => `${escapeMarkdown(tag)} ${n}`);
  const summary = count === 0 ? 'no new papers' : [plural(count, 'paper'), ...tags].join(' · ');
  const hint = count ? '\nReact 👍 or 👎 to a paper, or use its buttons, to tell the filter what the group wants.' : '';
  const header: DiscordMessage = { content: `**arXiv digest for ${digest.day}** — ${summary}${hint}`, embeds: [], components: [], allowed_mentions: NO_PINGS };
  const papers = digest.papers.map(
    (paper): DiscordMessage => ({
      content: '',
      embeds: [renderPaperEmbed(paper)],
      components: [voteButtons(paper.id, 'digest')],
      allowed_mentions: NO_PINGS,
    }),
  );
  return [header, ...papers];
}

/**
 * A person's alert DM: what matched and why; new papers first, then newer versions of papers seen
 * before, then the papers picked for them by their own model (each embed says why); menus to vote
 * on them.
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
  return packPapers(content, [...fresh, ...updates, ...picks], 'alert');
}
