import { z } from 'zod';
import { parseArxivId } from './arxiv-id.ts';
import type { TagVocabulary } from './tags.ts';

/** A paper with a person's (or a group's, or another system's) verdict: what `eval` measures against. */
export type LabelledPaper = {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly abstract: string;
  readonly categories: readonly string[];
  readonly primaryCategory: string | null;
  readonly relevant: boolean;
  /** Vocabulary tags (names resolved); empty for papers labelled not relevant, or labels without tags. */
  readonly tags: readonly string[];
  /** The announcement day, when the label file gives it. */
  readonly day: string | null;
};

export type LabelProblem = { readonly line: number; readonly message: string };

/** One line of a label file: the fields used; anything else on the line is ignored. */
export const LabelLineSchema = z.object({
  id: z.string().min(1),
  title: z.string().trim().min(1),
  abstract: z.string().default(''),
  categories: z.array(z.string().min(1)).min(1),
  primary_category: z.string().nullish(),
  relevant: z.boolean(),
  tags: z.array(z.string()).nullish(),
  day: z.string().nullish(),
  version: z.number().int().positive().nullish(),
});

/**
 * Reads a JSON-lines label file. Every line that cannot be used is reported with its line number
 * (not JSON, missing or mistyped fields, a malformed arXiv id, a tag outside the vocabulary, an id
 * seen before); blank lines are skipped. Tags resolve through the vocabulary's synonyms.
 */
export function parseLabelledPapers(text: string, vocabulary: TagVocabulary): { papers: LabelledPaper[]; problems: LabelProblem[] } {
  const papers: LabelledPaper[] = [];
  const problems: LabelProblem[] = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    const fail = (message: string) => void problems.push({ line, message });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      fail('not valid JSON');
      continue;
    }
    const parsed = LabelLineSchema.safeParse(json);
    if (!parsed.success) {
      fail(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; '));
      continue;
    }
    const record = parsed.data;
    const arxivId = parseArxivId(record.id);
    if (!arxivId) {
      fail(`"${record.id}" is not an arXiv id`);
      continue;
    }
    const earlier = seen.get(arxivId.base);
    if (earlier) {
      fail(`${arxivId.base} is labelled again (first on line ${earlier})`);
      continue;
    }
    const unknown = (record.tags ?? []).filter((name) => !vocabulary.resolve(name));
    if (unknown.length) {
      fail(`unknown tag${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')} (the vocabulary: ${vocabulary.names().join(', ')})`);
      continue;
    }
    const tags = [...new Set((record.tags ?? []).map((name) => vocabulary.resolve(name) as string))];
    if (!record.relevant && tags.length) {
      fail('tags on a paper labelled not relevant');
      continue;
    }
    seen.set(arxivId.base, line);
    papers.push({
      id: arxivId.base,
      version: record.version ?? arxivId.version ?? 1,
      title: record.title,
      abstract: record.abstract,
      categories: record.categories,
      primaryCategory: record.primary_category ?? record.categories[0] ?? null,
      relevant: record.relevant,
      tags,
      day: record.day ?? null,
    });
  }
  return { papers, problems };
}

/** Where a paper was listed, for per-category figures: its primary if followed, else `other`. */
export function listingCategory(paper: Pick<LabelledPaper, 'primaryCategory'>, followed: readonly string[]): string {
  return paper.primaryCategory && followed.includes(paper.primaryCategory) ? paper.primaryCategory : 'other';
}
