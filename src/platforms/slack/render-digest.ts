import type { DigestMessage } from '../../domain/delivery.ts';
import { clipMrkdwn, escapeMrkdwn } from './escape-mrkdwn.ts';
import { continuedText, packMessages } from './pack-messages.ts';
import { renderPaper } from './render-paper.ts';
import { SLACK_LIMITS } from './slack-limits.ts';
import { mrkdwnContext, mrkdwnSection, type SlackMessage } from './slack-message.ts';

export type RenderedDigest = {
  /** Posted in the channel: the day and "N papers · tag n · …". */
  readonly header: SlackMessage;
  /** Posted as replies in the header's thread, split between papers. */
  readonly thread: readonly SlackMessage[];
};

/** A channel digest: a short header message that does not flood the channel, the papers in its thread. */
export function renderDigest(digest: DigestMessage): RenderedDigest {
  const summary = digestSummary(digest);
  const note = digest.papers.length ? 'The papers are in the thread.' : 'No new papers on systems for large models in this announcement.';
  const header: SlackMessage = {
    text: `${summary} (${digest.day})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Systems for large models · ${digest.day}`, emoji: false } },
      mrkdwnSection(summary),
      mrkdwnContext([note]),
    ],
  };
  const thread = digest.papers.length
    ? packMessages({ lead: [], entries: digest.papers.map(renderPaper), tail: [] }, (index, count, first, last) =>
        index === 0 && count === 1 ? `${digest.papers.length} papers for ${digest.day}` : continuedText(index, count, first, last),
      )
    : [];
  return { header, thread };
}

/** "12 papers · serving 5 · MoE 3", escaped (tag names come from a file an operator edits). */
export function digestSummary(digest: DigestMessage): string {
  const count = digest.papers.length === 1 ? '*1 paper*' : `*${digest.papers.length} papers*`;
  const tags = digest.tagCounts.map(([tag, n]) => `${escapeMrkdwn(tag)} ${n}`);
  return clipMrkdwn([count, ...tags].join(' · '), SLACK_LIMITS.sectionText);
}
