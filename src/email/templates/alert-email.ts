import type { AlertMessage } from '../../domain/delivery.ts';
import type { PaperView } from '../../domain/reply.ts';
import { type Subscription, subscriptionReason } from '../../domain/subscription.ts';
import { html, type SafeHtml } from '../../rendering/html.ts';
import { absolute, paths } from '../../rendering/paths.ts';
import { emailDocument } from './email-layout.ts';
import { oneLine, wrap } from './plain-text.ts';

export type AlertEmailInput = {
  readonly alert: AlertMessage;
  /** What the person follows, for the footer ("you get this because …"). */
  readonly following: readonly Subscription[];
  readonly baseUrl: string;
  readonly unsubscribeUrl: string;
  /** Each paper's signed "relevant" / "not relevant" links (no login: the signature is the person). */
  readonly voteUrls?: (paperId: string) => { readonly relevant: string; readonly notRelevant: string };
};

export type RenderedEmail = { readonly subject: string; readonly text: string; readonly html: string };

const SHOWN_AUTHORS = 6;

/** One person's papers of one announcement day, as HTML and plain text, each paper with why it matched. */
export function renderAlertEmail(input: AlertEmailInput): RenderedEmail {
  const { alert } = input;
  const fresh = alert.papers.filter((paper) => !paper.isUpdate).length;
  const updated = alert.papers.length - fresh;
  const counts = [fresh ? `${fresh} new paper${fresh === 1 ? '' : 's'}` : '', updated ? `${updated} updated` : ''].filter(Boolean).join(', ');
  const reasons = [...new Set(alert.papers.flatMap((paper) => paper.reasons ?? []))];
  const about = reasons.length ? ` on ${reasons.slice(0, 3).join(', ')}${reasons.length > 3 ? ' …' : ''}` : '';
  const subject = oneLine(`${counts}${about} · ${alert.day}`);
  const heading = `Papers announced ${alert.day} that match what you follow`;
  return { subject, text: textBody(input, heading), html: htmlBody(input, heading, subject) };
}

function textBody(input: AlertEmailInput, heading: string): string {
  const blocks = input.alert.papers.map((paper, index) => {
    const indent = '   ';
    const lines = [
      `${index + 1}. ${wrap(`${paper.isUpdate ? `[updated to v${paper.version}] ` : ''}${paper.title}`, 72, indent)}`,
      `${indent}${wrap(authors(paper), 72, indent)}`,
      `${indent}Why: ${oneLine((paper.reasons ?? []).join(', ') || 'you follow it')}`,
    ];
    if (paper.tags.length) lines.push(`${indent}Tags: ${paper.tags.join(', ')}`);
    if (paper.tldr) lines.push(`${indent}TL;DR: ${wrap(paper.tldr, 72, indent)}`);
    lines.push(`${indent}${absolute(input.baseUrl, paths.paper(paper.id))}`, `${indent}arXiv ${paper.url} · PDF ${paper.pdfUrl}`);
    const votes = input.voteUrls?.(paper.id);
    if (votes) lines.push(`${indent}Not relevant? ${votes.notRelevant}`, `${indent}Relevant: ${votes.relevant}`);
    return lines.join('\n');
  });
  return [
    `${heading}:`,
    '',
    blocks.join('\n\n'),
    '',
    '-- ',
    `You get this because you follow ${followingText(input.following)} on lmsys-papers.`,
    `Unsubscribe (one click): ${input.unsubscribeUrl}`,
    `Search the archive: ${absolute(input.baseUrl, paths.home())}`,
    '',
  ].join('\n');
}

function htmlBody(input: AlertEmailInput, heading: string, subject: string): string {
  const papers = input.alert.papers.map((paper) => paperBlock(input.baseUrl, paper, input.voteUrls?.(paper.id)));
  const content = html`<h1 style="font-size:20px;margin:0 0 16px">${heading}</h1>${papers}`;
  const footer = html`<p>You get this because you follow ${followingText(input.following)} on lmsys-papers.</p>
<p><a href="${input.unsubscribeUrl}" style="color:#555">Unsubscribe</a> · <a href="${absolute(input.baseUrl, paths.home())}" style="color:#555">Search the archive</a></p>`;
  return emailDocument(subject, content, footer);
}

function paperBlock(baseUrl: string, paper: PaperView, votes?: { readonly relevant: string; readonly notRelevant: string }): SafeHtml {
  const link = 'color:#1a4f8b';
  return html`<div style="margin:0 0 20px">
<h2 style="font-size:17px;margin:0 0 4px">${paper.isUpdate ? html`<span style="color:#8a5a00">Updated to v${paper.version}:</span> ` : ''}<a href="${absolute(baseUrl, paths.paper(paper.id))}" style="${link}">${paper.title}</a></h2>
<p style="margin:0 0 4px;color:#555;font-size:14px">${authors(paper)}</p>
<p style="margin:0 0 4px;font-size:14px"><strong>Why:</strong> ${(paper.reasons ?? []).join(', ') || 'you follow it'}${paper.tags.length ? html` · <strong>Tags:</strong> ${paper.tags.join(', ')}` : ''}</p>
${paper.tldr ? html`<p style="margin:0 0 4px">${paper.tldr}</p>` : ''}
<p style="margin:0;font-size:14px"><a href="${paper.url}" style="${link}">arXiv</a> · <a href="${paper.pdfUrl}" style="${link}">PDF</a>${
    votes
      ? html` · <span style="color:#555">For the group:</span> <a href="${votes.relevant}" style="${link}">👍 relevant</a> · <a href="${votes.notRelevant}" style="${link}">👎 not relevant</a>`
      : ''
  }</p>
</div>`;
}

function authors(paper: PaperView): string {
  const names = paper.authors.slice(0, SHOWN_AUTHORS).join(', ');
  return paper.authors.length > SHOWN_AUTHORS ? `${names} et al.` : names;
}

function followingText(following: readonly Subscription[]): string {
  if (following.length === 0) return 'some papers';
  return following.map((subscription) => subscriptionReason(subscription)).join(', ');
}
