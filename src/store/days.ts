import type { Queryable } from './db.ts';

/**
 * Announcement days that have relevant papers, for browsing day by day. Each query walks the
 * announced_on index from the given day and stops at the first relevant paper.
 */
export async function latestRelevantDay(q: Queryable): Promise<string | null> {
  // Without a bound on announced_on the planner scans every verdict and sorts (250 ms on 100k
  // papers); walking the index down from the newest day takes under a millisecond.
  const row = await q.get<{ day: string }>(
    `SELECT p.announced_on AS day FROM papers p INDEXED BY papers_announced_on
     WHERE p.announced_on IS NOT NULL AND EXISTS (SELECT 1 FROM classifications c WHERE c.paper_id = p.id AND c.relevant = 1)
     ORDER BY p.announced_on DESC LIMIT 1`,
  );
  return row?.day ?? null;
}

export async function previousRelevantDay(q: Queryable, day: string): Promise<string | null> {
  const row = await q.get<{ day: string }>(
    `SELECT p.announced_on AS day FROM papers p JOIN classifications c ON c.paper_id = p.id
     WHERE c.relevant = 1 AND p.announced_on < ? ORDER BY p.announced_on DESC LIMIT 1`,
    [day],
  );
  return row?.day ?? null;
}

export async function nextRelevantDay(q: Queryable, day: string): Promise<string | null> {
  const row = await q.get<{ day: string }>(
    `SELECT p.announced_on AS day FROM papers p JOIN classifications c ON c.paper_id = p.id
     WHERE c.relevant = 1 AND p.announced_on > ? ORDER BY p.announced_on LIMIT 1`,
    [day],
  );
  return row?.day ?? null;
}

/**
 * How many papers the archive holds as announced on `day`, relevant or not, new or replaced: 0 when
 * it holds no announcement of that day (a weekend, a holiday, a day never fetched or not yet come).
 */
export async function papersAnnouncedOn(q: Queryable, day: string): Promise<number> {
  const row = await q.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM (SELECT id FROM papers WHERE announced_on = ? UNION SELECT paper_id FROM announcements WHERE day = ?)',
    [day, day],
  );
  return row?.n ?? 0;
}
