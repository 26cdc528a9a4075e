import type { Database, DatabaseFault } from '../../store/db.ts';
import { recentRuns } from '../../store/runs.ts';
import { jsonResponse, NO_STORE, type WebResponse } from '../http.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';

/** How long the database may take to answer before the process counts as unhealthy. */
export const HEALTH_TIMEOUT_MS = 2000;
/** How often, at most, the whole file is checked for corruption (seconds of reading on a large archive). */
export const INTEGRITY_CHECK_EVERY_MS = 3_600_000;

/**
 * `/healthz` for orchestrators: 200 when the process answers and the archive can be read and
 * written, else 503 naming what is wrong: `unreachable` (no answer within HEALTH_TIMEOUT_MS),
 * `read-only` (SQLite refuses the write lock), `full`, or `corrupt` (a query or the background
 * `quick_check` met a malformed page). Reports the last run of any job (ingest, classify, deliver), so
 * a monitor can alert on a stale archive too; a failed last run is reported, not unhealthy.
 */
export function healthzRoutes(context: WebContext): Route[] {
  const integrity = integrityMonitor(context.db, context.now, (problem) =>
    context.log.error({ database: context.db.path, problem }, 'the archive is corrupt (quick_check)'),
  );
  return [
    {
      method: 'GET',
      path: '/healthz',
      async handle() {
        const started = performance.now();
        let runs: Awaited<ReturnType<typeof recentRuns>>;
        let writable: DatabaseFault | null;
        try {
          runs = await withTimeout(recentRuns(context.db, 1), HEALTH_TIMEOUT_MS);
          writable = await withTimeout(context.db.writeProblem(), HEALTH_TIMEOUT_MS);
        } catch (error) {
          if (context.db.fault) return unwell(context, context.db.fault);
          context.log.error({ err: error }, 'health check: database unreachable');
          return jsonResponse(503, { status: 'error', database: 'unreachable' }, NO_STORE);
        }
        // The check under way (the one started with the server, say) is waited for, within the same bound.
        await withTimeout(integrity.refresh() ?? Promise.resolve(), HEALTH_TIMEOUT_MS).catch(() => undefined);
        const fault = context.db.fault?.kind === 'corrupt' ? context.db.fault : (writable ?? context.db.fault);
        if (fault) return unwell(context, fault);
        const run = runs[0];
        return jsonResponse(
          200,
          {
            status: 'ok',
            database: 'ok',
            databaseMs: Math.round(performance.now() - started),
            lastRun: run ? { kind: run.kind, status: run.status, day: run.day, startedAt: run.startedAt, finishedAt: run.finishedAt } : null,
          },
          NO_STORE,
        );
      },
    },
  ];
}

/**
 * Corruption shows only where a query reads the damaged page; a page nobody opened stays unnoticed.
 * So a `quick_check` runs (on its own connection) when the server starts and again at a health check
 * an hour or more after the last; what it finds is kept as the database's fault, which /healthz reports.
 */
function integrityMonitor(db: Database, now: () => Date, onProblem: (problem: string) => void): { refresh(): Promise<void> | null } {
  let lastStarted = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | null = null;
  const refresh = () => {
    const time = now().getTime();
    if (running || time - lastStarted < INTEGRITY_CHECK_EVERY_MS) return running;
    lastStarted = time;
    running = db
      .integrityProblem()
      .then((problem) => {
        if (problem) onProblem(problem);
      })
      .catch(() => undefined)
      .finally(() => {
        running = null;
      });
    return running;
  };
  refresh();
  return { refresh };
}

function unwell(context: WebContext, fault: DatabaseFault): WebResponse {
  context.log.warn({ database: fault.kind, reason: fault.message }, 'health check: the archive is unwell');
  return jsonResponse(503, { status: 'error', database: fault.kind, detail: fault.message, since: fault.at }, NO_STORE);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
