import type { Queryable } from './db.ts';

export type RunKind = 'ingest' | 'import' | 'classify' | 'deliver' | 'eval' | 'embed';
export type RunStatus = 'running' | 'ok' | 'empty' | 'failed';

export type RunCounts = {
  readonly fetched?: number;
  readonly new?: number;
  readonly updated?: number;
  readonly skipped?: number;
};

export type Run = {
  readonly id: number;
  readonly kind: RunKind;
  readonly day: string | null;
  readonly source: string | null;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly fetched: number;
  readonly new: number;
  readonly updated: number;
  readonly skipped: number;
  readonly stats: Record<string, unknown>;
  readonly error: string | null;
};

type RunRow = {
  id: number;
  kind: RunKind;
  day: string | null;
  source: string | null;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  fetched: number;
  new: number;
  updated: number;
  skipped: number;
  stats: string;
  error: string | null;
};

export type FinishedRun = {
  readonly kind: RunKind;
  readonly day: string | null;
  readonly source: string | null;
  readonly status: Exclude<RunStatus, 'running'>;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly counts?: RunCounts;
  readonly stats?: Record<string, unknown>;
  readonly error?: string | null;
};

/** Records a finished run; called inside the run's own transaction when it succeeded. */
export async function recordRun(q: Queryable, run: FinishedRun): Promise<number> {
  const counts = run.counts ?? {};
  const result = await q.run(
    `INSERT INTO runs (kind, day, source, status, started_at, finished_at, duration_ms, fetched, new, updated, skipped, stats, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      run.kind,
      run.day,
      run.source,
      run.status,
      run.startedAt.toISOString(),
      run.finishedAt.toISOString(),
      run.finishedAt.getTime() - run.startedAt.getTime(),
      counts.fetched ?? 0,
      counts.new ?? 0,
      counts.updated ?? 0,
      counts.skipped ?? 0,
      JSON.stringify(run.stats ?? {}),
      run.error ?? null,
    ],
  );
  return result.lastId;
}

export async function recentRuns(q: Queryable, limit = 20, kind?: RunKind): Promise<Run[]> {
  const rows = kind
    ? await q.all<RunRow>('SELECT * FROM runs WHERE kind = ? ORDER BY id DESC LIMIT ?', [kind, limit])
    : await q.all<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?', [limit]);
  return rows.map(toRun);
}

/** The latest announcement day a run of `kind` completed (with papers or as a known empty day). */
export async function lastCompletedDay(q: Queryable, kind: RunKind): Promise<string | null> {
  const row = await q.get<{ day: string | null }>("SELECT MAX(day) AS day FROM runs WHERE kind = ? AND status IN ('ok', 'empty')", [kind]);
  return row?.day ?? null;
}

export async function isDayCompleted(q: Queryable, kind: RunKind, day: string): Promise<boolean> {
  const row = await q.get<{ n: number }>("SELECT COUNT(*) AS n FROM runs WHERE kind = ? AND day = ? AND status IN ('ok', 'empty')", [kind, day]);
  return (row?.n ?? 0) > 0;
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    kind: row.kind,
    day: row.day,
    source: row.source,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    fetched: row.fetched,
    new: row.new,
    updated: row.updated,
    skipped: row.skipped,
    stats: JSON.parse(row.stats) as Record<string, unknown>,
    error: row.error,
  };
}

/** The days in [from, to] that a run of `kind` completed. */
export async function completedDaysBetween(q: Queryable, kind: RunKind, from: string, to: string): Promise<Set<string>> {
  const rows = await q.all<{ day: string }>("SELECT DISTINCT day FROM runs WHERE kind = ? AND day BETWEEN ? AND ? AND status IN ('ok', 'empty')", [
    kind,
    from,
    to,
  ]);
  return new Set(rows.map((row) => row.day));
}

/**
 * The last day the archive covers: the latest day ingested (with papers or known empty) or listing
 * papers in any other way (a README import). Null for an empty archive.
 */
export async function lastArchivedDay(q: Queryable): Promise<string | null> {
  const row = await q.get<{ day: string | null }>(
    `SELECT MAX(day) AS day FROM (
       SELECT MAX(day) AS day FROM announcements
       UNION ALL SELECT MAX(day) FROM runs WHERE kind = 'ingest' AND status IN ('ok', 'empty'))`,
  );
  return row?.day ?? null;
}

/** How the archive holds `day`: ingested from arXiv, only imported (a README's day), or not at all. */
export async function dayInArchive(q: Queryable, day: string): Promise<'ingested' | 'imported' | null> {
  if (await isDayCompleted(q, 'ingest', day)) return 'ingested';
  const row = await q.get<{ n: number }>('SELECT COUNT(*) AS n FROM announcements WHERE day = ?', [day]);
  return (row?.n ?? 0) > 0 ? 'imported' : null;
}

/** The first and last announcement days the archive lists papers for (ingested or imported). */
export async function archivedDaySpan(q: Queryable): Promise<{ first: string | null; last: string | null }> {
  const row = await q.get<{ first: string | null; last: string | null }>('SELECT MIN(day) AS first, MAX(day) AS last FROM announcements');
  return { first: row?.first ?? null, last: row?.last ?? null };
}
