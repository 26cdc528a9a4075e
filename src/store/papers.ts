import { type Announcement, type Classification, isReplacement, type Paper, type PaperRecord } from '../domain/paper.ts';
import type { Queryable } from './db.ts';
import { ftsTagsText } from './fts-tags.ts';
import { PAPER_COLUMNS, PAPER_FROM, type PaperRow, toPaper } from './paper-rows.ts';

export type AnnouncementOutcome = 'new' | 'updated' | 'unchanged' | 'skipped';

export type PaperVersion = {
  readonly version: number;
  readonly title: string;
  readonly updatedAt: string | null;
  readonly announcedOn: string | null;
  readonly announceType: string | null;
};

type Existing = { id: string; version: number; title: string; abstract: string; announced_on: string | null };

/**
 * Applies one line of a day's announcement. New and cross-listed papers are inserted once, keyed by
 * base id; a replacement updates a paper we already hold (a new version, never a new paper) and is
 * skipped when we never saw the paper. Re-applying the same line changes nothing.
 */
export async function recordAnnouncement(tx: Queryable, day: string, item: Announcement, source: string, now: string): Promise<AnnouncementOutcome> {
  const { paper, type } = item;
  const existing = await tx.get<Existing>('SELECT id, version, title, abstract, announced_on FROM papers WHERE id = ?', [paper.id]);
  if (!existing) {
    if (isReplacement(type)) return 'skipped';
    await insertPaper(tx, paper, day, source, now);
    await insertVersion(tx, paper, day, type, now);
    await tx.run('INSERT INTO announcements (day, paper_id, announce_type, version) VALUES (?, ?, ?, ?)', [day, paper.id, type, paper.version]);
    // No full-text row yet: only papers with a relevant verdict are searchable (see `reindex`).
    await tx.run("INSERT INTO classifications (paper_id, status, updated_at) VALUES (?, 'pending', ?)", [paper.id, now]);
    return 'new';
  }
  if (paper.version <= existing.version) return 'unchanged';
  await updatePaper(tx, paper, now);
  await insertVersion(tx, paper, day, type, now);
  // A paper listed as new earlier and replaced today stays announced on its first day.
  await tx.run('INSERT OR IGNORE INTO announcements (day, paper_id, announce_type, version) VALUES (?, ?, ?, ?)', [
    day,
    paper.id,
    isReplacement(type) ? type : 'replace',
    paper.version,
  ]);
  if (paper.title !== existing.title || paper.abstract !== existing.abstract) {
    // Keep the old verdict visible until the new text is classified.
    await tx.run("UPDATE classifications SET status = 'pending', error = NULL, updated_at = ? WHERE paper_id = ?", [now, paper.id]);
  }
  await reindex(tx, paper.id);
  return 'updated';
}

/** Returns the new row's pk (the full-text rowid). */
export async function insertPaper(tx: Queryable, paper: PaperRecord, announcedOn: string | null, source: string, now: string): Promise<number> {
  const result = await tx.run(
    `INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category, comment, journal_ref, doi,
       submitted_at, updated_at, announced_on, source, created_at, modified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      paper.id,
      paper.version,
      paper.title,
      paper.abstract,
      JSON.stringify(paper.authors),
      JSON.stringify(paper.categories),
      paper.primaryCategory,
      paper.comment,
      paper.journalRef,
      paper.doi,
      paper.submittedAt,
      paper.updatedAt,
      announcedOn,
      source,
      now,
      now,
    ],
  );
  return result.lastId;
}

/** Newer metadata replaces older; a source that lacks a field (RSS has no DOI) keeps what we had. */
async function updatePaper(tx: Queryable, paper: PaperRecord, now: string): Promise<void> {
  await tx.run(
    `UPDATE papers SET version = ?, title = ?, abstract = ?, authors = ?, categories = ?,
       primary_category = COALESCE(?, primary_category), comment = COALESCE(?, comment),
       journal_ref = COALESCE(?, journal_ref), doi = COALESCE(?, doi),
       submitted_at = COALESCE(submitted_at, ?), updated_at = COALESCE(?, updated_at), modified_at = ?
     WHERE id = ?`,
    [
      paper.version,
      paper.title,
      paper.abstract,
      JSON.stringify(paper.authors),
      JSON.stringify(paper.categories),
      paper.primaryCategory,
      paper.comment,
      paper.journalRef,
      paper.doi,
      paper.submittedAt,
      paper.updatedAt,
      now,
      paper.id,
    ],
  );
}

export async function insertVersion(tx: Queryable, paper: PaperRecord, day: string | null, type: string | null, now: string): Promise<void> {
  await tx.run(
    `INSERT OR IGNORE INTO paper_versions (paper_id, version, title, updated_at, announced_on, announce_type, seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [paper.id, paper.version, paper.title, paper.updatedAt, day, type, now],
  );
}

/**
 * Rewrites the paper's full-text row from its current title, abstract, authors, TL;DR and tags, or
 * removes it when the paper has no relevant verdict. Search covers relevant papers only, and most
 * candidates of a day are not (about 37 of 500): indexing them all would make every ranked search
 * score an order of magnitude more matches than it can show.
 */
export async function reindex(tx: Queryable, id: string): Promise<void> {
  const row = await tx.get<{ pk: number; title: string; abstract: string; authors: string; tldr: string | null; tags: string | null; relevant: number | null }>(
    'SELECT p.pk, p.title, p.abstract, p.authors, c.tldr, c.tags, c.relevant FROM papers p LEFT JOIN classifications c ON c.paper_id = p.id WHERE p.id = ?',
    [id],
  );
  if (!row) return;
  await tx.run('DELETE FROM papers_fts WHERE rowid = ?', [row.pk]);
  if (row.relevant !== 1) return;
  const authors = (JSON.parse(row.authors) as string[]).join(', ');
  const tags = ftsTagsText(JSON.parse(row.tags ?? '[]') as string[]);
  await tx.run('INSERT INTO papers_fts (rowid, title, abstract, tldr, authors, tags) VALUES (?, ?, ?, ?, ?, ?)', [
    row.pk,
    row.title,
    row.abstract,
    row.tldr ?? '',
    authors,
    tags,
  ]);
}

/** Stores a verdict; tags of relevant papers are mirrored into paper_tags for fast filtering. */
export async function saveClassification(tx: Queryable, id: string, verdict: Classification, now: string): Promise<void> {
  await tx.run(
    `INSERT INTO classifications (paper_id, status, relevant, tags, tldr, model, prompt_hash, version, error, attempts, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (paper_id) DO UPDATE SET status = excluded.status, relevant = excluded.relevant, tags = excluded.tags,
       tldr = excluded.tldr, model = excluded.model, prompt_hash = excluded.prompt_hash, version = excluded.version,
       error = excluded.error, attempts = excluded.attempts, updated_at = excluded.updated_at`,
    [
      id,
      verdict.status,
      verdict.relevant === null ? null : Number(verdict.relevant),
      JSON.stringify(verdict.tags),
      verdict.tldr,
      verdict.model,
      verdict.promptHash,
      verdict.version,
      verdict.error,
      verdict.attempts,
      now,
    ],
  );
  await tx.run('DELETE FROM paper_tags WHERE paper_id = ?', [id]);
  if (verdict.relevant) {
    for (const tag of new Set(verdict.tags)) await tx.run('INSERT INTO paper_tags (tag, paper_id) VALUES (?, ?)', [tag, id]);
  }
  await reindex(tx, id);
}

export async function getPaper(q: Queryable, id: string): Promise<Paper | null> {
  const row = await q.get<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM} WHERE p.id = ?`, [id]);
  return row ? toPaper(row) : null;
}

export async function getVersions(q: Queryable, id: string): Promise<PaperVersion[]> {
  const rows = await q.all<{ version: number; title: string; updated_at: string | null; announced_on: string | null; announce_type: string | null }>(
    'SELECT version, title, updated_at, announced_on, announce_type FROM paper_versions WHERE paper_id = ? ORDER BY version',
    [id],
  );
  return rows.map((row) => ({
    version: row.version,
    title: row.title,
    updatedAt: row.updated_at,
    announcedOn: row.announced_on,
    announceType: row.announce_type,
  }));
}

export type DayListing = { readonly paper: Paper; readonly announceType: string };

/** Everything an announcement day listed, in a stable order (new first, then by id). */
export async function papersAnnouncedOn(q: Queryable, day: string): Promise<DayListing[]> {
  const rows = await q.all<PaperRow & { announce_type: string }>(
    `SELECT ${PAPER_COLUMNS}, a.announce_type FROM announcements a JOIN papers p ON p.id = a.paper_id
       LEFT JOIN classifications c ON c.paper_id = p.id
     WHERE a.day = ? ORDER BY a.announce_type, p.id`,
    [day],
  );
  return rows.map((row) => ({ paper: toPaper(row), announceType: row.announce_type }));
}

/** Relevant papers first announced in [from, to] (inclusive days), newest day first. */
export async function relevantPapersBetween(q: Queryable, from: string, to: string): Promise<Paper[]> {
  const rows = await q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM}
     WHERE c.relevant = 1 AND p.announced_on BETWEEN ? AND ? ORDER BY p.announced_on DESC, p.pk`,
    [from, to],
  );
  return rows.map(toPaper);
}

export async function papersWithStatus(q: Queryable, statuses: readonly string[], limit: number): Promise<Paper[]> {
  const marks = statuses.map(() => '?').join(', ');
  const rows = await q.all<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM} WHERE c.status IN (${marks}) ORDER BY p.pk LIMIT ?`, [...statuses, limit]);
  return rows.map(toPaper);
}

export async function countPapers(q: Queryable): Promise<{ papers: number; relevant: number; pending: number; failed: number }> {
  const row = await q.get<{ papers: number; relevant: number | null; pending: number | null; failed: number | null }>(
    `SELECT COUNT(*) AS papers, SUM(c.relevant = 1) AS relevant, SUM(c.status = 'pending') AS pending, SUM(c.status = 'failed') AS failed
     FROM ${PAPER_FROM}`,
  );
  return { papers: row?.papers ?? 0, relevant: row?.relevant ?? 0, pending: row?.pending ?? 0, failed: row?.failed ?? 0 };
}

/** The papers with these ids, in no particular order; ids not in the archive are left out. */
export async function papersByIds(q: Queryable, ids: readonly string[]): Promise<Paper[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM} WHERE p.id IN (SELECT value FROM json_each(?))`, [JSON.stringify(ids)]);
  return rows.map(toPaper);
}
