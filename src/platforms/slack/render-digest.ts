import type { DigestMessage } from '../../domain/delivery.ts';
import type { PaperView } from '../../domain/reply.ts';
import { clipMrkdwn, clipPlain, escapeMrkdwn } from './escape-mrkdwn.ts';
import { renderPaper } from './render-paper.ts';
import { SLACK_LIMITS } from './slack-limits.ts';
import { mrkdwnContext, mrkdwnSection, type SlackMessage } from './slack-message.ts';

export type RenderedDigest = {
  /** Posted in the channel: the day and "N papers · tag n · …". */
  readonly header: SlackMessage;
  /** Posted as replies in the header's thread, one paper each. */
  readonly thread: readonly SlackMessage[];
};

const FALLBACK_TITLE = 200;

/**
 * A channel digest: a short header message that does not flood the channel, and each paper as its
 * own reply in the header's thread, with its ⋯ menu. One paper a message is what makes a 👍 or 👎
 * reaction on a message a vote on exactly one paper (and a thread a paper's discussion); it costs
 * one post a second per channel, about 40 s for a busy day.
 */
export function renderDigest(digest: DigestMessage): RenderedDigest {
  const summary = digestSummary(digest);
  const note = digest.papers.length
    ? 'The papers are in the thread: react 👍 or 👎 to a paper, or use its ⋯ menu, to tell the filter what the group wants.'
    : 'No new papers on systems for large models in this announcement.';
  const header: SlackMessage = {
    text: `${summary} (${digest.day})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Systems for large models · ${digest.day}`, emoji: false } },
      mrkdwnSection(summary),
      mrkdwnContext([note]),
    ],
  };
  const thread = digest.papers.map((paper, index) => paperMessage(paper, index, digest.papers.length));
  return { header, thread };
}

function paperMessage(paper: PaperView, index: number, count: number): SlackMessage {
  const title = clipPlain(paper.title.replace(/\s+/g, ' ').trim(), FALLBACK_TITLE);
  return { text: `${index + 1}/${count}: ${escapeMrkdwn(title)}`, blocks: renderPaper(paper, 'digest'), paperIds: [paper.id] };
}

/** "12 papers · serving 5 · MoE 3", escaped (tag names come from a file an operator edits). */
export function digestSummary(digest: DigestMessage): string {
  const count = digest.papers.length === 1 ? '*1 paper*' : `*${digest.papers.length} papers*`;
  const tags = digest.tagCounts.map(([tag, n]) => `${escapeMrkdwn(tag)} ${n}`);
  return clipMrkdwn([count, ...tags].join(' · '), SLACK_LIMITS.sectionText);
}
