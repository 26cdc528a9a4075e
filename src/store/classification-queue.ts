import type { Paper } from '../domain/paper.ts';
import type { Queryable } from './db.ts';
import { PAPER_COLUMNS, PAPER_FROM, type PaperRow, toPaper } from './paper-rows.ts';

/**
 * Papers that need a (new) verdict, oldest first within each kind of work: pending ones, then failed
 * ones (retried every run), then verdicts made by a stand-in (`replaceModels`, e.g. the keyword
 * classifier) that a real model should now replace.
 */
export async function papersToClassify(q: Queryable, options: { readonly replaceModels: readonly string[]; readonly limit: number }): Promise<Paper[]> {
  const marks = options.replaceModels.map(() => '?').join(', ');
  const replace = options.replaceModels.length ? `OR (c.status = 'done' AND c.model IN (${marks}))` : '';
  const rows = await q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM}
     WHERE c.status IS NULL OR c.status IN ('pending', 'failed') ${replace}
     ORDER BY CASE COALESCE(c.status, 'pending') WHEN 'pending' THEN 0 WHEN 'failed' THEN 1 ELSE 2 END, p.pk
     LIMIT ?`,
    [...options.replaceModels, options.limit],
  );
  return rows.map(toPaper);
}

/** LLM tokens spent by the classification, embedding (and `eval`) runs recorded for `day` (the daily cap's day). */
export async function classifyTokensOn(q: Queryable, day: string): Promise<number> {
  const row = await q.get<{ tokens: number | null }>(
    "SELECT SUM(json_extract(stats, '$.totalTokens')) AS tokens FROM runs WHERE kind IN ('classify', 'eval', 'embed') AND day = ?",
    [day],
  );
  return row?.tokens ?? 0;
}
