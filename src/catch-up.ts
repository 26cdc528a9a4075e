import type { App } from './app.ts';
import { type DeliveryTally, retryDue } from './delivery/deliver.ts';
import { FanOut } from './delivery/fan-out.ts';
import { daysToCatchUp } from './pipeline/ingest.ts';
import { type DayRunSummary, deliverDeps, type RunDayOptions, runDay, stopSignal } from './run-day.ts';

export type CatchUpResult = {
  /** Deliveries of earlier days tried again (failed ones now due, claims of a process that died). */
  readonly retried: DeliveryTally;
  readonly days: readonly DayRunSummary[];
};

/**
 * What the scheduler runs at start and at each tick: retries what is due, then runs every
 * announcement day since the last delivered one, oldest first (at most CATCHUP_MAX_DAYS back). A
 * day that does not complete stops the catch-up there, so no day is delivered before an earlier one.
 */
export async function catchUp(app: App, options: RunDayOptions): Promise<CatchUpResult> {
  const shared = { ...options, fanOut: options.fanOut ?? new FanOut(app.sleep) };
  const retried = await retryDue(deliverDeps(app, shared));
  const days: DayRunSummary[] = [];
  for (const day of await daysToCatchUp(app.ingest, app.config.CATCHUP_MAX_DAYS, 'deliver')) {
    if (stopSignal(app, options).aborted) break;
    const summary = await runDay(app, day, shared);
    days.push(summary);
    if (summary.status !== 'ok' && summary.status !== 'empty') break;
  }
  return { retried, days };
}
