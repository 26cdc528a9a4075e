import type { Reply } from '../../domain/reply.ts';
import { clipMrkdwn, escapeMrkdwn } from './escape-mrkdwn.ts';
import { continuedText, packMessages } from './pack-messages.ts';
import { renderPaper } from './render-paper.ts';
import { replyButtons } from './reply-buttons.ts';
import { SLACK_LIMITS } from './slack-limits.ts';
import { type Block, mrkdwnSection, type SlackMessage } from './slack-message.ts';

const FALLBACK_CHARACTERS = 300;

/**
 * A command's Reply as Slack messages: the reply text, one section + context per paper (with its
 * ⋯ menu to vote), then the buttons. Usually one message; a reply over Slack's limits becomes several, split between papers.
 * `isPrivate` is how it will be shown (a private reply can be shared, a public one cannot).
 */
export function renderReply(reply: Reply, isPrivate = reply.private): SlackMessage[] {
  const text = clipMrkdwn(escapeMrkdwn(reply.text), SLACK_LIMITS.sectionText);
  const buttons = replyButtons(reply.actions ?? [], isPrivate);
  const tail: Block[] = buttons.length ? [{ type: 'actions', elements: buttons }] : [];
  const papers = reply.papers ?? [];
  return packMessages(
    { lead: text ? [mrkdwnSection(text)] : [], entries: papers.map((paper) => renderPaper(paper, 'search')), tail },
    (index, count, first, last) => {
      if (index === 0) return clipMrkdwn(text || 'lmsys-papers', FALLBACK_CHARACTERS);
      return continuedText(index, count, first, last);
    },
  );
}
