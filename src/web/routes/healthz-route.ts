import { recentRuns } from '../../store/runs.ts';
import { jsonResponse, NO_STORE } from '../http.ts';
import type { Route } from '../router.ts';
import type { WebContext } from '../web-context.ts';

/** How long the database may take to answer before the process counts as unhealthy. */
export const HEALTH_TIMEOUT_MS = 2000;

/**
 * `/healthz` for orchestrators: 200 when the process answers and the database does within
 * HEALTH_TIMEOUT_MS, else 503. Reports the last run of any job (ingest, classify, deliver), so a
 * monitor can alert on a stale archive too; a failed last run is reported, not unhealthy.
 */
export function healthzRoutes(context: WebContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      async handle() {
        const started = performance.now();
        try {
          const runs = await withTimeout(recentRuns(context.db, 1), HEALTH_TIMEOUT_MS);
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
        } catch (error) {
          context.log.error({ err: error }, 'health check: database unreachable');
          return jsonResponse(503, { status: 'error', database: 'unreachable' }, NO_STORE);
        }
      },
    },
  ];
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
