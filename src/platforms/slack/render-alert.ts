import type { AlertMessage } from '../../domain/delivery.ts';
import { continuedText, packMessages } from './pack-messages.ts';
import { renderPaper } from './render-paper.ts';
import { type Block, mrkdwnSection, type SlackMessage } from './slack-message.ts';

/**
 * A person's alert: the new papers that match their subscriptions, then (under their own heading)
 * new versions of papers they were shown before, then the papers picked for them by their own
 * model. Each paper says why it is there (`reasons`, or a pick's why) and has its ⋯ menu to vote.
 */
export function renderAlert(alert: AlertMessage): SlackMessage[] {
  const fresh = alert.papers.filter((paper) => !paper.isUpdate);
  const updates = alert.papers.filter((paper) => paper.isUpdate);
  const picks = alert.picks ?? [];
  const headline = alertHeadline(fresh.length, updates.length, picks.length, alert.day);
  const entries: Block[][] = fresh.map((paper) => renderPaper(paper, 'alert'));
  // Each heading travels with the first paper under it, so it never ends a message on its own.
  entries.push(...underHeading('*Updated papers you were shown before*', updates));
  entries.push(...underHeading('*Picked for you* (by your 👍 and 👎; `/unsubscribe picks` stops them)', picks));
  return packMessages({ lead: [mrkdwnSection(`*${headline}*`)], entries, tail: [] }, (index, count, first, last) =>
    index === 0 ? headline : continuedText(index, count, first, last),
  );
}

function alertHeadline(fresh: number, updates: number, picks: number, day: string): string {
  const matched =
    fresh || updates ? `${describeCount(fresh, 'new paper')}${updates ? ` and ${describeCount(updates, 'update')}` : ''} for your subscriptions` : '';
  const picked = picks ? `${describeCount(picks, fresh || updates ? 'paper' : 'new paper')} picked for you` : '';
  return `${[matched, picked].filter(Boolean).join(', and ') || describeCount(0, 'new paper')} · ${day}`;
}

function underHeading(heading: string, papers: AlertMessage['papers']): Block[][] {
  return papers.map((paper, index) => [...(index === 0 ? [{ type: 'divider' } as Block, mrkdwnSection(heading)] : []), ...renderPaper(paper, 'alert')]);
}

function describeCount(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
