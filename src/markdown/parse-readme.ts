import { parseArxivId } from '../domain/arxiv-id.ts';
import { isDay } from '../domain/calendar.ts';
import { repairMojibake } from './repair-mojibake.ts';

/** One paper line of the original README, with the TL;DR quote under it when there is one. */
export type ReadmeEntry = {
  readonly day: string;
  readonly id: string;
  readonly version: number | null;
  readonly title: string;
  /** Tags exactly as written, before any vocabulary check. */
  readonly tags: readonly string[];
  readonly tldr: string | null;
  readonly line: number;
};

export type ReadmeProblem = { readonly line: number; readonly reason: string; readonly text: string };

const HEADING = /^###\s+(.*?)\s*$/;
// The original batched a few weeks as `### 2025-10-01 ~ 2025-10-07`; such papers take the range's last day.
const DAY_OR_RANGE = /^(\d{4}-\d{2}-\d{2})(?:\s*~\s*(\d{4}-\d{2}-\d{2}))?$/;
// Greedy title: a title may itself contain brackets; the link is the last `](…)` on the line.
const ENTRY = /^[*-]\s+((?:`[^`]*`\s*)*)\[(.+)\]\((\S+?)\)\s*$/;
const QUOTE = /^\s+>\s?(.*)$/;
const TLDR_LABEL = /^\*\*TL;DR\*\*:\s*/;

/**
 * Reads the README format: `### YYYY-MM-DD` sections of `* `tag` [Title](link)` lines and `  > TL;DR` quotes.
 * Lines under a heading that is not a date are reported, not filed under the previous day.
 */
export function parseReadme(markdown: string): { entries: ReadmeEntry[]; problems: ReadmeProblem[] } {
  const lines = repairMojibake(markdown).split(/\r?\n/);
  const entries: ReadmeEntry[] = [];
  const problems: ReadmeProblem[] = [];
  let day: string | null = null;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] as string;
    const heading = HEADING.exec(text);
    if (heading) {
      day = headingDay(heading[1] as string);
      if (!day) problems.push({ line: index + 1, reason: 'section heading is not a YYYY-MM-DD date or range', text });
      continue;
    }
    // Markdown allows either bullet, and editors rewrite `*` to `-`.
    if (!/^[*-] /.test(text)) continue;
    if (!day) {
      problems.push({ line: index + 1, reason: 'entry outside a dated section', text });
      continue;
    }
    const match = ENTRY.exec(text);
    const id = match ? parseArxivId(match[3] as string) : null;
    if (!match || !id) {
      problems.push({ line: index + 1, reason: match ? 'link is not an arXiv abstract' : 'not a `* [Title](link)` line', text });
      continue;
    }
    const quote = QUOTE.exec(lines[index + 1] ?? '');
    entries.push({
      day,
      id: id.base,
      version: id.version,
      title: (match[2] as string).replace(/\s+/g, ' ').trim(),
      tags: [...(match[1] as string).matchAll(/`([^`]*)`/g)].map((tag) => (tag[1] as string).trim()).filter(Boolean),
      tldr: quote ? (quote[1] as string).replace(TLDR_LABEL, '').trim() || null : null,
      line: index + 1,
    });
  }
  return { entries, problems };
}

function headingDay(text: string): string | null {
  const match = DAY_OR_RANGE.exec(text);
  const day = match?.[2] ?? match?.[1];
  return day && isDay(day) ? day : null;
}
