import type { App } from './app.ts';
import { type DeliverDeps, type DeliveryTally, emptyTally } from './delivery/deliver.ts';
import { deliverDay } from './delivery/deliver-day.ts';
import { FanOut } from './delivery/fan-out.ts';
import type { TextMatcher } from './delivery/match-subscriptions.ts';
import type { PlanSettings } from './delivery/plan-day.ts';
import type { Messenger } from './domain/delivery.ts';
import { classifyPending } from './pipeline/classify.ts';
import { embedPending } from './pipeline/embed.ts';
import { ingestDay, latestAnnouncementDay } from './pipeline/ingest.ts';
import { type DayListing, papersAnnouncedOn } from './store/papers.ts';
import { isDayCompleted, recordRun } from './store/runs.ts';

export type RunDayOptions = {
  readonly messengers: readonly Messenger[];
  /** Stops the run between sends (serve shutting down); what is under way finishes and is recorded. */
  readonly signal?: AbortSignal;
  /** Shared across the days of one catch-up, so a platform's pace holds across them. */
  readonly fanOut?: FanOut;
  readonly matcher?: TextMatcher;
  /**
   * `auto` (default): fetch the day unless an ingest completed it before. `skip`: take the day as the
   * archive holds it (a README's day, imported: arXiv is not asked). `force`: fetch it again.
   */
  readonly ingest?: 'auto' | 'skip' | 'force';
};

/**
 * How a day's run ended. `waiting`: the latest day still has papers without a verdict (the LLM was
 * unavailable or the token cap reached), so its delivery waits for a later run rather than leave
 * them out. `stopped`: the process was stopping. Both, like `failed`, leave the day to be run again.
 */
export type DayRunStatus = 'ok' | 'empty' | 'failed' | 'waiting' | 'stopped';

/** The run's summary: what the issue asks each run to log, and where the time went. */
export type DayRunSummary = {
  readonly day: string;
  readonly status: DayRunStatus;
  /** Papers the day listed (new, cross-lists and replacements). */
  readonly candidates: number;
  /** Relevant new papers of the day: what the digests draw on. */
  readonly relevant: number;
  /** New papers of the day without a verdict when delivery started. */
  readonly unclassified: number;
  /** LLM tokens this run's classification spent. */
  readonly tokens: number;
  readonly digestsSent: number;
  readonly alertsSent: number;
  /** Sends that failed this run: `retrying` of them will be tried again, the rest are failed for good. */
  readonly failures: number;
  readonly retrying: number;
  readonly reconciled: number;
  /** Deliveries for platforms this process has no messenger for; not sent. */
  readonly noMessenger: number;
  readonly durationMs: number;
  /** Where the time went: fetching and storing, the LLM, composing (matching, ledger reads), sending. */
  readonly phases: { readonly ingestMs: number; readonly classifyMs: number; readonly planMs: number; readonly sendMs: number };
  readonly error: string | null;
};

/**
 * The daily run for one announcement day: ingest it (unless done before), classify what is
 * pending, then deliver its digests and alerts exactly once. Records a `deliver` run — `ok` and
 * `empty` days count as delivered for catch-up — and logs one summary line.
 */
export async function runDay(app: App, day: string, options: RunDayOptions): Promise<DayRunSummary> {
  const clock = phaseClock(app.now);
  let tokens = 0;
  let tally = emptyTally();
  let listing: readonly DayListing[] = [];
  let unclassified = 0;
  let status: DayRunStatus = 'ok';
  let error: string | null = null;
  try {
    const ingest = (await wantsIngest(app, day, options.ingest ?? 'auto')) ? await ingestDay(app.ingest, day) : null;
    clock.lap('ingestMs');
    listing = await papersAnnouncedOn(app.db, day);
    if (ingest?.status === 'failed') {
      status = 'failed';
      error = `ingest failed: ${ingest.error ?? 'unknown error'}`;
    } else if (listing.length === 0) {
      status = 'empty';
    } else {
      tokens = (await classifyPending(app.classify)).totalTokens;
      // The day's relevant papers get vectors for "more like this", then part of the backlog, within the same token cap.
      if (app.embed) tokens += (await embedPending(app.embed)).totalTokens;
      clock.lap('classifyMs');
      listing = await papersAnnouncedOn(app.db, day);
      unclassified = listing.filter(isNew).filter((item) => item.paper.classification.relevant === null).length;
      if (unclassified > 0 && day === latestAnnouncementDay(app.now())) {
        status = 'waiting';
        error = `${unclassified} of ${listing.filter(isNew).length} new papers have no verdict yet; delivery waits for the next run`;
      } else {
        const delivered = await deliverDay(deliverDeps(app, options), planSettings(app, options), day);
        tally = delivered.tally;
        clock.record({ planMs: delivered.planMs, sendMs: delivered.sendMs });
        if (stopSignal(app, options).aborted) {
          status = 'stopped';
          error = 'stopped before every delivery was sent; the next run continues';
        }
      }
    }
  } catch (failure) {
    status = 'failed';
    error = failure instanceof Error ? failure.message : String(failure);
    app.log.error({ err: failure, day }, 'daily run failed');
  }
  if (status === 'failed' && stopSignal(app, options).aborted) status = 'stopped';
  const summary = summarize(day, status, listing, unclassified, tokens, tally, clock, error);
  await record(app, summary, clock.started);
  app.log.child({ module: 'daily-run' }).info(summary, 'daily run finished');
  return summary;
}

async function wantsIngest(app: App, day: string, mode: 'auto' | 'skip' | 'force'): Promise<boolean> {
  if (mode !== 'auto') return mode === 'force';
  return !(await isDayCompleted(app.db, 'ingest', day));
}

export function deliverDeps(app: App, options: RunDayOptions): DeliverDeps {
  return {
    db: app.db,
    log: app.log.child({ module: 'delivery' }),
    now: app.now,
    messengers: options.messengers,
    fanOut: options.fanOut ?? new FanOut(app.sleep),
    settings: {
      maxAttempts: app.config.DELIVERY_MAX_ATTEMPTS,
      retryBaseMs: app.config.DELIVERY_RETRY_BASE_MS,
      claimTimeoutMs: app.config.DELIVERY_CLAIM_TIMEOUT_MS,
      holdMs: holdMs(app.config.CATCHUP_MAX_DAYS),
    },
    tagOrder: app.vocabulary.names(),
    signal: stopSignal(app, options),
  };
}

/** The run stops when the process stops, or when its caller (the scheduler) stops it sooner. */
export function stopSignal(app: App, options: Pick<RunDayOptions, 'signal'>): AbortSignal {
  return options.signal ? AbortSignal.any([options.signal, app.signal]) : app.signal;
}

export function planSettings(app: App, options: Pick<RunDayOptions, 'matcher'> = {}): PlanSettings {
  return {
    configuredChannels: [
      { platform: 'slack', channelIds: app.config.SLACK_DIGEST_CHANNELS },
      { platform: 'discord', channelIds: app.config.DISCORD_DIGEST_CHANNELS },
    ],
    emptyNote: app.config.DIGEST_EMPTY_NOTE,
    tagOrder: app.vocabulary.names(),
    now: app.now,
    ...(options.matcher ? { matcher: options.matcher } : {}),
  };
}

function isNew(item: DayListing): boolean {
  return item.announceType === 'new' || item.announceType === 'cross';
}

type Phases = { ingestMs: number; classifyMs: number; planMs: number; sendMs: number };

/** Time per phase, on the app's clock: each lap is the time since the previous one. */
function phaseClock(now: () => Date) {
  const started = now();
  let last = started.getTime();
  const phases: Phases = { ingestMs: 0, classifyMs: 0, planMs: 0, sendMs: 0 };
  return {
    started,
    phases,
    lap(phase: keyof Phases) {
      const time = now().getTime();
      phases[phase] = time - last;
      last = time;
    },
    record(measured: Partial<Phases>) {
      Object.assign(phases, measured);
      last = now().getTime();
    },
    elapsed: () => now().getTime() - started.getTime(),
  };
}

function summarize(
  day: string,
  status: DayRunStatus,
  listing: readonly DayListing[],
  unclassified: number,
  tokens: number,
  tally: DeliveryTally,
  clock: ReturnType<typeof phaseClock>,
  error: string | null,
): DayRunSummary {
  return {
    day,
    status,
    candidates: listing.length,
    relevant: listing.filter((item) => isNew(item) && item.paper.classification.relevant === true).length,
    unclassified,
    tokens,
    digestsSent: tally.digestsSent,
    alertsSent: tally.alertsSent,
    failures: tally.failed + tally.retrying,
    retrying: tally.retrying,
    reconciled: tally.reconciled,
    noMessenger: Object.values(tally.noMessenger).reduce((sum, count) => sum + count, 0),
    durationMs: clock.elapsed(),
    phases: { ...clock.phases },
    error,
  };
}

async function record(app: App, summary: DayRunSummary, startedAt: Date): Promise<void> {
  const status = summary.status === 'ok' || summary.status === 'empty' ? summary.status : 'failed';
  await recordRun(app.db, {
    kind: 'deliver',
    day: summary.day,
    source: 'daily-run',
    status,
    startedAt,
    finishedAt: new Date(startedAt.getTime() + summary.durationMs),
    counts: { fetched: summary.candidates, new: summary.relevant },
    stats: { ...summary },
    error: summary.error,
  });
}

/**
 * How long a held delivery waits for a process with its platform: as far back as catch-up goes,
 * CATCHUP_MAX_DAYS announcement days, in calendar days (a weekend for every five), so a delivery
 * held on a Friday outlives the weekend even at CATCHUP_MAX_DAYS=1.
 */
export function holdMs(catchUpDays: number): number {
  return (catchUpDays + 2 * Math.ceil(catchUpDays / 5)) * 86_400_000;
}
