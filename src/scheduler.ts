import { schedule as cronSchedule, type TaskOptions } from 'node-cron';
import type { App } from './app.ts';
import { type CatchUpResult, catchUp } from './catch-up.ts';
import type { Messenger } from './domain/delivery.ts';
import type { Logger } from './log.ts';
import { nextDueAt } from './store/ledger.ts';

/** A day that did not complete (arXiv down, verdicts missing) is tried again this much later, before the next tick. */
export const RERUN_AFTER_MS = 30 * 60_000;
/**
 * How often an idle scheduler looks in the ledger for deliveries that became due without it: held
 * by another process (a `digest` run without this platform) or failed there.
 */
export const LEDGER_POLL_MS = 30 * 60_000;

/** The part of a node-cron task the scheduler uses. */
export type CronTask = { stop(): void | Promise<void> };
export type Schedule = (expression: string, run: () => Promise<unknown>, options: TaskOptions) => CronTask;
export type Timers = {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type SchedulerDeps = {
  readonly app: App;
  readonly messengers: readonly Messenger[];
  /** node-cron's `schedule` by default; tests pass one that records the task and fires it by hand. */
  readonly schedule?: Schedule;
  readonly timers?: Timers;
};

export type TriggerReason = 'start' | 'tick' | 'retry';

export type Scheduler = {
  /** Registers the daily job (DIGEST_CRON in DIGEST_TIMEZONE) and starts the start-up catch-up, whose end it returns. */
  start(): Promise<CatchUpResult | null>;
  /** Runs a catch-up now; null when one is already running (it is not started twice). */
  trigger(reason: TriggerReason): Promise<CatchUpResult | null>;
  /** No new run or send starts; the run under way finishes its sends and is recorded. */
  stop(): Promise<void>;
};

/**
 * The heartbeat: at start and at every tick, catch up every announcement day since the last
 * delivered one (node-cron never runs ticks missed while the process was down — catch-up does).
 * One run at a time: node-cron's `noOverlap` skips a tick while a run goes on, and start-up and
 * retry wake-ups are skipped the same way. After a run, a timer wakes the scheduler when failed
 * deliveries become due again or a day that did not complete should be tried again.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { app } = deps;
  const log = app.log.child({ module: 'scheduler' });
  const schedule = deps.schedule ?? cronSchedule;
  const timers: Timers = deps.timers ?? {
    setTimeout: (run, ms) => setTimeout(run, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const stopping = new AbortController();
  let task: CronTask | null = null;
  let wakeUp: unknown = null;
  let running: Promise<CatchUpResult | null> | null = null;
  /** When the last run's incomplete day should be tried again; null when every day completed. */
  let rerunAt: number | null = null;

  async function run(reason: TriggerReason): Promise<CatchUpResult | null> {
    let result: CatchUpResult | null = null;
    try {
      log.info({ reason }, 'daily run starting');
      result = await catchUp(app, { messengers: deps.messengers, signal: stopping.signal });
    } catch (error) {
      log.error({ err: error, reason }, 'daily run crashed');
    }
    const incomplete = !result || result.days.some((day) => day.status === 'failed' || day.status === 'waiting');
    rerunAt = incomplete ? app.now().getTime() + RERUN_AFTER_MS : null;
    await armWakeUp();
    return result;
  }

  function trigger(reason: TriggerReason): Promise<CatchUpResult | null> {
    // The process stopping (app.signal) counts as soon as it happens, before serve gets to stop() this part.
    if (stopping.signal.aborted || app.signal.aborted) return Promise.resolve(null);
    if (running) {
      log.info({ reason }, 'daily run still going; not started twice');
      return Promise.resolve(null);
    }
    const current = run(reason).finally(() => {
      running = null;
    });
    running = current;
    return current;
  }

  /**
   * Wakes the scheduler when a failed delivery is due, a claim turns stale or an incomplete day
   * should be tried again — and, at the latest, after LEDGER_POLL_MS to look again, since another
   * process may have left deliveries for this one in the meantime.
   */
  async function armWakeUp(): Promise<void> {
    if (stopping.signal.aborted || app.signal.aborted) return;
    let due: Date | null = null;
    try {
      const platforms = deps.messengers.map((messenger) => messenger.platform);
      due = await nextDueAt(app.db, platforms, app.config.DELIVERY_CLAIM_TIMEOUT_MS, app.config.DELIVERY_MAX_ATTEMPTS);
    } catch (error) {
      log.error({ err: error }, 'could not read when the next retry is due; looking again later');
    }
    if (stopping.signal.aborted) return; // stopped while reading: arm nothing after stop()
    const now = app.now().getTime();
    const work = [due?.getTime(), rerunAt ?? undefined].filter((time): time is number => time !== undefined);
    const workAt = work.length ? Math.min(...work) : null;
    const delay = Math.max(0, Math.min(workAt ?? Number.POSITIVE_INFINITY, now + LEDGER_POLL_MS) - now);
    if (wakeUp !== null) timers.clearTimeout(wakeUp);
    if (workAt !== null && workAt <= now + LEDGER_POLL_MS) log.info({ inMs: delay }, 'next retry planned');
    wakeUp = timers.setTimeout(() => {
      wakeUp = null;
      if (workAt !== null && workAt <= app.now().getTime()) void trigger('retry');
      else void armWakeUp();
    }, delay);
  }

  return {
    start() {
      task = schedule(app.config.DIGEST_CRON, () => trigger('tick'), {
        name: 'lmsys-papers daily run',
        timezone: app.config.DIGEST_TIMEZONE,
        noOverlap: true,
        logger: cronLogger(log),
      });
      log.info({ cron: app.config.DIGEST_CRON, timezone: app.config.DIGEST_TIMEZONE }, 'daily run scheduled');
      return trigger('start');
    },
    trigger,
    async stop() {
      stopping.abort();
      await task?.stop();
      if (wakeUp !== null) timers.clearTimeout(wakeUp);
      wakeUp = null;
      await running;
    },
  };
}

/** node-cron's own messages (missed or overlapping executions) as structured logs. */
function cronLogger(log: Logger): NonNullable<TaskOptions['logger']> {
  return {
    info: (message) => log.info({ detail: message }, 'node-cron'),
    warn: (message) => log.warn({ detail: message }, 'node-cron'),
    error: (message, error) => log.error({ detail: String(message), err: error }, 'node-cron'),
    debug: (message) => log.debug({ detail: String(message) }, 'node-cron'),
  };
}
