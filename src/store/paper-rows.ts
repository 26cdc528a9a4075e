import type { Classification, ClassificationStatus, Paper } from '../domain/paper.ts';

/** A `papers` row joined with its `classifications` row, as SQLite returns it. */
export type PaperRow = {
  pk: number;
  id: string;
  version: number;
  title: string;
  abstract: string;
  authors: string;
  categories: string;
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  submitted_at: string | null;
  updated_at: string | null;
  announced_on: string | null;
  status: ClassificationStatus | null;
  relevant: number | null;
  tags: string | null;
  tldr: string | null;
  model: string | null;
  prompt_hash: string | null;
  classified_version: number | null;
  error: string | null;
  attempts: number | null;
};

/** The column list that produces a PaperRow; `p` is papers, `c` is classifications. */
export const PAPER_COLUMNS = `p.pk, p.id, p.version, p.title, p.abstract, p.authors, p.categories, p.primary_category,
  p.comment, p.journal_ref, p.doi, p.submitted_at, p.updated_at, p.announced_on,
  c.status, c.relevant, c.tags, c.tldr, c.model, c.prompt_hash, c.version AS classified_version,
  c.error, c.attempts`;

export const PAPER_FROM = 'papers p LEFT JOIN classifications c ON c.paper_id = p.id';

export function toPaper(row: PaperRow): Paper {
  const classification: Classification = {
    status: row.status ?? 'pending',
    relevant: row.relevant === null ? null : row.relevant === 1,
    tags: parseList(row.tags),
    tldr: row.tldr,
    model: row.model,
    promptHash: row.prompt_hash,
    version: row.classified_version,
    error: row.error,
    attempts: row.attempts ?? 0,
  };
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors: parseList(row.authors),
    categories: parseList(row.categories),
    primaryCategory: row.primary_category,
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    announcedOn: row.announced_on,
    classification,
  };
}

function parseList(json: string | null): string[] {
  if (!json) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
