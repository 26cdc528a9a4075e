import { type PaperView, type Reply, STANDING_WORDS } from '../../domain/reply.ts';

export type RenderOptions = {
  readonly width: number;
  /** The number of the first paper: a second page goes on from 9, as its header says. */
  readonly firstNumber?: number;
};

/**
 * A Reply as terminal text: the message wrapped to the width, then each paper as a numbered block
 * (title, day and tags, link, TL;DR) with a hanging indent. Terminal escaping: control characters
 * (ANSI escapes could repaint the screen or retitle the window) and bidirectional overrides in
 * untrusted text are removed. Code spans keep their backticks; the console has no other markup.
 */
export function renderReply(reply: Reply, options: RenderOptions): string {
  const width = Math.max(40, options.width);
  const blocks = [wrap(clean(reply.text), width)];
  const papers = reply.papers ?? [];
  const first = options.firstNumber ?? 1;
  const numberWidth = String(first + papers.length - 1).length;
  for (const [index, paper] of papers.entries()) blocks.push(renderPaper(paper, `${String(first + index).padStart(numberWidth)}.`, width));
  const hints = (reply.actions ?? []).flatMap((action) => {
    if (action.kind === 'more') return ['type `more` for the next page'];
    if (action.kind === 'subscribe') return [`\`/subscribe ${action.tag}\` to get new ${action.tag} papers as alerts`];
    return [];
  });
  if (hints.length) blocks.push(wrap(`(${hints.join('; ')})`, width));
  return `${blocks.join('\n\n')}\n`;
}

function renderPaper(paper: PaperView, label: string, width: number): string {
  const indent = ' '.repeat(label.length + 1);
  const lines = [wrap(`${label} ${clean(paper.title)}${paper.isUpdate ? ` (updated, v${paper.version})` : ''}`, width, indent)];
  const facts = [paper.day ?? 'date unknown', paper.tags.length ? paper.tags.map(clean).join(', ') : 'no tags'];
  lines.push(wrap(`${indent}${facts.join(' · ')}`, width, indent));
  lines.push(`${indent}${clean(paper.url)}`);
  if (paper.tldr) lines.push(wrap(`${indent}${clean(paper.tldr)}`, width, indent));
  if (paper.reasons?.length) lines.push(wrap(`${indent}because you follow ${paper.reasons.map(clean).join(', ')}`, width, indent));
  if (paper.standing) lines.push(`${indent}(${STANDING_WORDS[paper.standing]})`);
  return lines.join('\n');
}

/** Removes C0/C1 controls (except newline and tab) and bidi overrides from untrusted text. */
export function clean(text: string): string {
  return text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, (character) => (character === '\n' ? character : character === '\t' ? ' ' : ''));
}

/** Greedy word wrap of each line; continuation lines start with `indent`; long words (links) stay whole. */
export function wrap(text: string, width: number, indent = ''): string {
  return text
    .split('\n')
    .map((line) => wrapLine(line, width, indent))
    .join('\n');
}

function wrapLine(line: string, width: number, indent: string): string {
  const lead = /^\s*/.exec(line)?.[0] ?? '';
  const words = line.slice(lead.length).split(/\s+/).filter(Boolean);
  if (words.length === 0) return lead.trimEnd();
  const lines: string[] = [];
  let current = `${lead}${words[0]}`;
  for (const word of words.slice(1)) {
    if (current.length + 1 + word.length > width) {
      lines.push(current);
      current = `${indent}${word}`;
    } else {
      current += ` ${word}`;
    }
  }
  lines.push(current);
  return lines.join('\n');
}
