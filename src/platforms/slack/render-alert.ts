import type { AlertMessage } from '../../domain/delivery.ts';
import { continuedText, packMessages } from './pack-messages.ts';
import { renderPaper } from './render-paper.ts';
import { type Block, mrkdwnSection, type SlackMessage } from './slack-message.ts';

/**
 * A person's alert: the new papers that match their subscriptions, then (under their own heading)
 * new versions of papers they were shown before. Each paper says why it is there (`reasons`) and
 * has its ⋯ menu to vote.
 */
export function renderAlert(alert: AlertMessage): SlackMessage[] {
  const fresh = alert.papers.filter((paper) => !paper.isUpdate);
  const updates = alert.papers.filter((paper) => paper.isUpdate);
  const headline = `${describeCount(fresh.length, 'new paper')}${updates.length ? ` and ${describeCount(updates.length, 'update')}` : ''} for your subscriptions · ${alert.day}`;
  const entries: Block[][] = fresh.map((paper) => renderPaper(paper, 'alert'));
  for (const [index, paper] of updates.entries()) {
    // The heading travels with the first update, so it never ends a message on its own.
    const heading: Block[] = index === 0 ? [{ type: 'divider' }, mrkdwnSection('*Updated papers you were shown before*')] : [];
    entries.push([...heading, ...renderPaper(paper, 'alert')]);
  }
  return packMessages({ lead: [mrkdwnSection(`*${headline}*`)], entries, tail: [] }, (index, count, first, last) =>
    index === 0 ? headline : continuedText(index, count, first, last),
  );
}

function describeCount(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
