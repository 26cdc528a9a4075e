import { weekdayName } from '../../domain/calendar.ts';
import type { AlertMessage, DigestMessage } from '../../domain/delivery.ts';
import { plural } from '../../domain/plural.ts';
import { clean, renderReply } from './render-reply.ts';

/**
 * A digest as terminal text: the day and the counts by tag ("4 papers · serving 3 · MoE 1"), then
 * the papers in their groups' order. A digest with no papers is the one-line note of DIGEST_EMPTY_NOTE.
 */
export function renderDigest(digest: DigestMessage, width: number): string {
  const date = `${weekdayName(digest.day)} ${digest.day}`;
  if (digest.papers.length === 0) return renderReply({ text: `No new papers on systems for large models on ${date}.`, private: false }, { width });
  const counts = digest.tagCounts.map(([tag, count]) => `${tag} ${count}`);
  const header = [`${plural(digest.papers.length, 'paper')} on ${date}`, ...counts].join(' · ');
  return renderReply({ text: header, papers: digest.papers, private: false }, { width });
}

/** An alert as terminal text: new papers with why they matched, updates of papers shown before, then (under their heading) papers picked for the person. */
export function renderAlert(alert: AlertMessage, width: number): string {
  const updates = alert.papers.filter((paper) => paper.isUpdate).length;
  const fresh = alert.papers.length - updates;
  const picks = alert.picks ?? [];
  const parts = [
    fresh ? `${plural(fresh, 'new paper')} for you` : '',
    updates ? `${plural(updates, 'update')} of papers you were sent before` : '',
    picks.length ? `${plural(picks.length, 'paper')} picked for you` : '',
  ].filter(Boolean);
  const head = renderReply({ text: `${weekdayName(alert.day)} ${alert.day}: ${parts.join('; ')}.`, papers: alert.papers, private: true }, { width });
  if (picks.length === 0) return head;
  const picked = { text: 'Picked for you by your 👍 and 👎 (`/unsubscribe picks` stops them):', papers: picks, private: true };
  return `${head}\n${renderReply(picked, { width, firstNumber: alert.papers.length + 1 })}`;
}

/** "→ slack channel C123" / "→ discord user 42": who a delivery goes to, for the console and --dry-run. */
export function recipientLine(platform: string, kind: 'digest' | 'alert', target: string): string {
  return `→ ${clean(platform)} ${kind === 'digest' ? 'channel' : 'user'} ${clean(target)} (${kind})`;
}
