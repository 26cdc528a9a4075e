import type { Classification, PaperRecord } from '../domain/paper.ts';
import type { TagVocabulary } from '../domain/tags.ts';
import type { ReadmeEntry, ReadmeProblem } from '../markdown/parse-readme.ts';
import { parseReadme } from '../markdown/parse-readme.ts';
import type { Database, Queryable } from '../store/db.ts';
import { insertPaper, insertVersion, saveClassification } from '../store/papers.ts';
import { recordRun } from '../store/runs.ts';

export type ImportReport = {
  readonly entries: number;
  readonly distinct: number;
  readonly imported: number;
  readonly duplicatesMerged: number;
  /** Already in the archive with a verdict of their own (from the LLM), which the import keeps. */
  readonly alreadyPresent: number;
  readonly correctedTags: ReadonlyMap<string, string>;
  readonly droppedTags: ReadonlyMap<string, number>;
  readonly problems: readonly ReadmeProblem[];
};

type Merged = { entry: ReadmeEntry; tags: string[]; tldr: string | null; version: number | null; day: string };

/**
 * Imports the original README as classified papers. Duplicates (the same base id listed on several
 * days) merge into one paper: its first day, the union of its tags, the first TL;DR. Tags outside the
 * vocabulary are corrected through synonyms (`inference` → serving) or dropped, never stored.
 */
export async function importReadme(db: Database, markdown: string, vocabulary: TagVocabulary, now: () => Date): Promise<ImportReport> {
  const started = now();
  const { entries, problems } = parseReadme(markdown);
  const correctedTags = new Map<string, string>();
  const droppedTags = new Map<string, number>();
  const merged = new Map<string, Merged>();
  for (const entry of entries) {
    const tags: string[] = [];
    for (const raw of entry.tags) {
      const tag = vocabulary.resolve(raw);
      if (!tag) droppedTags.set(raw, (droppedTags.get(raw) ?? 0) + 1);
      else if (tag !== raw) correctedTags.set(raw, tag);
      if (tag && !tags.includes(tag)) tags.push(tag);
    }
    const seen = merged.get(entry.id);
    if (!seen) {
      merged.set(entry.id, { entry, tags, tldr: entry.tldr, version: entry.version, day: entry.day });
      continue;
    }
    for (const tag of tags) if (!seen.tags.includes(tag)) seen.tags.push(tag);
    seen.tldr ??= entry.tldr;
    seen.version = Math.max(seen.version ?? 0, entry.version ?? 0) || null;
    if (entry.day < seen.day) seen.day = entry.day;
  }
  let imported = 0;
  let alreadyPresent = 0;
  await db.transaction(async (tx) => {
    const stamp = now().toISOString();
    // Oldest day first (the README lists the newest first), so row order follows announcement order
    // as it does for ingested days: search bounds date ranges and narrows broad queries by row.
    const oldestFirst = [...merged.values()].sort((a, b) => a.day.localeCompare(b.day));
    for (const paper of oldestFirst) {
      if (await storeMerged(tx, paper, stamp)) imported++;
      else alreadyPresent++;
    }
    await recordRun(tx, {
      kind: 'import',
      day: null,
      source: 'readme',
      status: 'ok',
      startedAt: started,
      finishedAt: now(),
      counts: { fetched: entries.length, new: imported, skipped: problems.length },
      stats: { duplicatesMerged: entries.length - merged.size, alreadyPresent, droppedTags: Object.fromEntries(droppedTags) },
    });
  });
  return {
    entries: entries.length,
    distinct: merged.size,
    imported,
    duplicatesMerged: entries.length - merged.size,
    alreadyPresent,
    correctedTags,
    droppedTags,
    problems,
  };
}

/** Inserts a paper the archive lacks; a paper it holds keeps its own data and verdict. */
async function storeMerged(tx: Queryable, merged: Merged, stamp: string): Promise<boolean> {
  const existing = await tx.get<{ id: string }>('SELECT id FROM papers WHERE id = ?', [merged.entry.id]);
  if (existing) return false;
  const record: PaperRecord = {
    id: merged.entry.id,
    version: merged.version ?? 1,
    title: merged.entry.title,
    abstract: '',
    authors: [],
    categories: [],
    primaryCategory: null,
    comment: null,
    journalRef: null,
    doi: null,
    submittedAt: null,
    updatedAt: null,
  };
  await insertPaper(tx, record, merged.day, 'import', stamp);
  await insertVersion(tx, record, merged.day, 'new', stamp);
  await tx.run("INSERT INTO announcements (day, paper_id, announce_type, version) VALUES (?, ?, 'new', ?)", [merged.day, record.id, record.version]);
  const verdict: Classification = {
    status: 'done',
    relevant: true,
    tags: merged.tags,
    tldr: merged.tldr,
    model: 'import',
    promptHash: null,
    version: record.version,
    error: null,
    attempts: 0,
  };
  await saveClassification(tx, record.id, verdict, stamp);
  return true;
}
