import { type PaperView, STANDING_WORDS } from '../../domain/reply.ts';
import { clipMrkdwn, clipPlain, escapeMrkdwn, mrkdwnLink } from './escape-mrkdwn.ts';
import { type PaperMenuSource, paperMenu } from './paper-menu.ts';
import { SLACK_LIMITS } from './slack-limits.ts';
import { type Block, mrkdwnContext, mrkdwnSection } from './slack-message.ts';

const TITLE_CHARACTERS = 400;
const AUTHORS_SHOWN = 3;
/** Keeps one paper (section + context) far below the per-message budget, so an entry always fits alone. */
const CONTEXT_CHARACTERS = 1000;

/**
 * One paper as Block Kit: a section with the linked title and the TL;DR, then a context line with
 * the day, tags, first authors and PDF link (and, in alerts, why the person gets it). Every
 * string from arXiv or the LLM is escaped; an over-long TL;DR is clipped, never the entry split.
 * With `menu`, the section carries the paper's ⋯ menu (relevant / not relevant), its votes
 * counted as cast from there.
 */
export function renderPaper(paper: PaperView, menu?: PaperMenuSource): Block[] {
  const title = `*${mrkdwnLink(paper.url, clipPlain(paper.title.replace(/\s+/g, ' ').trim(), TITLE_CHARACTERS))}*`;
  const update = paper.isUpdate ? ` _(updated: v${paper.version})_` : '';
  const head = `${title}${update}`;
  const tldr = paper.tldr ? escapeMrkdwn(paper.tldr.trim()) : '';
  const body = tldr ? `${head}\n${clipMrkdwn(tldr, SLACK_LIMITS.sectionText - head.length - 1)}` : head;
  const section = mrkdwnSection(body);
  return [menu ? { ...section, accessory: paperMenu(paper.id, menu) } : section, mrkdwnContext([clipMrkdwn(facts(paper), CONTEXT_CHARACTERS)])];
}

function facts(paper: PaperView): string {
  const parts = [paper.day ?? 'date unknown'];
  if (paper.tags.length) parts.push(paper.tags.map((tag) => `\`${escapeMrkdwn(tag.replaceAll('`', ''))}\``).join(' '));
  if (paper.authors.length) parts.push(authors(paper.authors));
  parts.push(mrkdwnLink(paper.pdfUrl, 'PDF'));
  if (paper.reasons?.length) parts.push(`because you follow ${paper.reasons.map(escapeMrkdwn).join(', ')}`);
  if (paper.standing) parts.push(`_${STANDING_WORDS[paper.standing]}_`);
  return parts.join(' · ');
}

function authors(names: readonly string[]): string {
  const shown = names.slice(0, AUTHORS_SHOWN).map(escapeMrkdwn).join(', ');
  return names.length > AUTHORS_SHOWN ? `${shown} et al.` : shown;
}
