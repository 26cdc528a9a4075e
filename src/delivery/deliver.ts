import type { DeliveryProgress, Messenger, Platform, SendResult } from '../domain/delivery.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/db.ts';
import {
  claimNew,
  type Delivery,
  deliveryKey,
  dueDeliveries,
  expireHeld,
  giveUpAbandoned,
  holdNew,
  markFailed,
  markSent,
  type RetryPolicy,
  readProgress,
  reclaim,
  renewClaim,
  saveProgress,
} from '../store/ledger.ts';
import { type FanOut, type PlatformQueue, PRIORITY } from './fan-out.ts';
import type { Outgoing, PlannedDelivery } from './planned-delivery.ts';
import { rebuildMessage } from './rebuild-message.ts';

/** The longest wait between two tries of a delivery that keeps failing for a passing reason. */
export const MAX_RETRY_DELAY_MS = 3_600_000;
/** Rate-limit answers one send may wait out in a run before it counts as a failed try. */
const MAX_RATE_LIMITED = 10;

export type DeliverySettings = {
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly claimTimeoutMs: number;
  /** How long a delivery held for a platform this process lacks waits for a process that has it. */
  readonly holdMs: number;
};

export type DeliverDeps = {
  readonly db: Database;
  readonly log: Logger;
  readonly now: () => Date;
  readonly messengers: readonly Messenger[];
  readonly fanOut: FanOut;
  readonly settings: DeliverySettings;
  /** The tag vocabulary's order: a digest rebuilt for a retry lists tied tags as it did when composed. */
  readonly tagOrder?: readonly string[];
  /** When aborted, no new send starts; sends under way finish and are recorded. */
  readonly signal?: AbortSignal;
};

/** What one delivery pass did. */
export type DeliveryTally = {
  digestsSent: number;
  alertsSent: number;
  /** Sent earlier but not recorded (a crash in between): found on the platform, not sent again. */
  reconciled: number;
  /** Failed for a passing reason, tried again later. */
  retrying: number;
  /** Failed with no tries left, or permanently (channel gone, DMs closed). */
  failed: number;
  /** Claimed by another run, or not started because the run was stopped. */
  notStarted: number;
  /** For platforms that have no messenger in this process (e.g. Slack not configured): held in the ledger for one that has. */
  noMessenger: Partial<Record<Platform, number>>;
};

export function emptyTally(): DeliveryTally {
  return { digestsSent: 0, alertsSent: 0, reconciled: 0, retrying: 0, failed: 0, notStarted: 0, noMessenger: {} };
}

export function addTally(into: DeliveryTally, from: DeliveryTally): DeliveryTally {
  into.digestsSent += from.digestsSent;
  into.alertsSent += from.alertsSent;
  into.reconciled += from.reconciled;
  into.retrying += from.retrying;
  into.failed += from.failed;
  into.notStarted += from.notStarted;
  for (const [platform, count] of Object.entries(from.noMessenger)) {
    into.noMessenger[platform as Platform] = (into.noMessenger[platform as Platform] ?? 0) + count;
  }
  return into;
}

export function retryPolicy(deps: Pick<DeliverDeps, 'now' | 'settings'>): RetryPolicy {
  return { staleBefore: new Date(deps.now().getTime() - deps.settings.claimTimeoutMs).toISOString(), maxAttempts: deps.settings.maxAttempts };
}

/**
 * Sends planned deliveries nobody has claimed yet, each exactly once: claimed in a transaction
 * right before its send (inside its platform's queue, so a claim is never older than the send it
 * guards), marked sent or failed in a transaction after.
 */
export async function deliverPlanned(deps: DeliverDeps, plans: readonly PlannedDelivery[]): Promise<DeliveryTally> {
  const tally = emptyTally();
  const sends: Promise<void>[] = [];
  for (const plan of plans) {
    const messenger = messengerFor(deps, plan.key.platform, tally);
    if (!messenger) {
      await hold(deps, plan);
      continue;
    }
    const claim = () => claimNew(deps.db, plan.key, plan.papers, deps.now().toISOString());
    const priority = plan.key.kind === 'digest' ? PRIORITY.digest : PRIORITY.alert;
    sends.push(send(deps, messenger, tally, { claim, outgoing: async () => plan.outgoing, reconcile: false, priority }));
  }
  await Promise.all(sends);
  reportMissingMessengers(deps, tally);
  return tally;
}

/**
 * Tries again what is due: failed deliveries whose next attempt has come, and claims left behind
 * by a process that died (after the claim timeout, so a live process still sending is not
 * doubled). Anything tried before is first looked for on the platform (`findDelivered`), since
 * the last try may have arrived without being recorded. Of one day only, when given.
 */
export async function retryDue(deps: DeliverDeps, day?: string): Promise<DeliveryTally> {
  const tally = emptyTally();
  const policy = retryPolicy(deps);
  const now = deps.now().toISOString();
  const abandoned = await giveUpAbandoned(deps.db, now, policy, day);
  if (abandoned) deps.log.error({ count: abandoned }, 'deliveries interrupted too often, given up');
  const expired = await expireHeld(deps.db, new Date(deps.now().getTime() - deps.settings.holdMs).toISOString(), now, day);
  if (expired) deps.log.error({ count: expired }, 'deliveries held for a platform no process had, given up');
  tally.failed += abandoned + expired;
  const sends: Promise<void>[] = [];
  // Deliveries of platforms this process lacks wait for a process that has them, untouched.
  const platforms = deps.messengers.map((messenger) => messenger.platform);
  for (const due of await dueDeliveries(deps.db, now, policy, platforms, day)) {
    const messenger = deps.messengers.find((candidate) => candidate.platform === due.platform);
    if (!messenger) continue;
    const claim = () => reclaim(deps.db, due.id, deps.now().toISOString(), retryPolicy(deps));
    sends.push(
      send(deps, messenger, tally, {
        claim,
        outgoing: (claimed) => rebuildMessage(deps.db, claimed, deps.tagOrder),
        reconcile: true,
        priority: PRIORITY.retry,
      }),
    );
  }
  await Promise.all(sends);
  return tally;
}

/**
 * A delivery for a platform this process does not have waits in the ledger for one that has it
 * (see `holdNew`). The console is local to each process: its deliveries are only counted.
 */
async function hold(deps: DeliverDeps, plan: PlannedDelivery): Promise<void> {
  if (plan.key.platform === 'console') return;
  try {
    await holdNew(deps.db, plan.key, plan.papers, `${plan.key.platform} is not configured in the process that planned it`, deps.now().toISOString());
  } catch (error) {
    deps.log.error({ err: error, ...plan.key }, 'delivery could not be held for a process with its platform; it is not sent');
  }
}

type Job = {
  readonly claim: () => Promise<Delivery | null>;
  readonly outgoing: (claimed: Delivery) => Promise<Outgoing>;
  readonly reconcile: boolean;
  readonly priority: number;
};

type Attempt = SendResult & { readonly reconciled?: boolean };
type Started = { readonly claimed: Delivery; readonly outgoing: Outgoing; readonly result: Attempt; readonly generation: number };

async function send(deps: DeliverDeps, messenger: Messenger, tally: DeliveryTally, job: Job): Promise<void> {
  const queue = deps.fanOut.queueFor(messenger);
  try {
    const started = await queue.run(async (): Promise<Started | null> => {
      if (deps.signal?.aborted) return null;
      const generation = queue.generation;
      const claimed = await job.claim();
      if (!claimed) return null;
      const outgoing = await job.outgoing(claimed);
      const found = job.reconcile && claimed.attempts > 1 ? await queue.paced(() => lookUp(deps, messenger, claimed, outgoing)) : null;
      return { claimed, outgoing, generation, result: found ?? (await queue.paced(() => call(deps, messenger, claimed, outgoing))) };
    }, job.priority);
    if (!started) {
      tally.notStarted++;
      return;
    }
    const result = await waitOutRateLimits(deps, queue, messenger, started);
    await record(deps, started.claimed, result, tally);
  } catch (error) {
    // The ledger could not be read or written: a claim made stays claimed and is tried again once
    // stale, so one broken delivery does not stop the others.
    deps.log.error({ err: error, platform: messenger.platform }, 'delivery could not be recorded; it will be tried again');
    tally.retrying++;
  }
}

/** A send the platform turned away for now: the queue pauses as asked, then this send goes first. */
async function waitOutRateLimits(deps: DeliverDeps, queue: PlatformQueue, messenger: Messenger, started: Started): Promise<Attempt> {
  const { claimed, outgoing } = started;
  let { result, generation } = started;
  for (let waits = 0; waits < MAX_RATE_LIMITED && !deps.signal?.aborted; waits++) {
    if (result.ok || result.permanent || result.retryAfterMs === undefined) return result;
    await queue.slowDown(result.retryAfterMs, generation);
    // A stop ended the pause early: the send is not tried again now but recorded as failed, to retry.
    if (deps.signal?.aborted) break;
    await renewClaim(deps.db, claimed.id, deps.now().toISOString());
    ({ result, generation } = await queue.run(async () => {
      const startedIn = queue.generation;
      return { result: await queue.paced(() => call(deps, messenger, claimed, outgoing)), generation: startedIn };
    }, PRIORITY.resumed));
  }
  return result;
}

async function call(deps: DeliverDeps, messenger: Messenger, claimed: Delivery, outgoing: Outgoing): Promise<Attempt> {
  const progress = ledgerProgress(deps, claimed);
  try {
    if (outgoing.kind === 'digest') return await messenger.postDigest(claimed.target, outgoing.message, progress);
    return await messenger.sendAlert(claimed.target, outgoing.message, progress);
  } catch (error) {
    // A messenger should answer with a SendResult; a throw is a bug or an unexpected fault, retried like a passing one.
    deps.log.error({ err: error, ...describe(claimed) }, 'messenger threw while sending');
    return { ok: false, permanent: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

async function lookUp(deps: DeliverDeps, messenger: Messenger, claimed: Delivery, outgoing: Outgoing): Promise<Attempt | null> {
  if (!messenger.findDelivered) return null;
  try {
    const lookup = { kind: claimed.kind, target: claimed.target, day: claimed.day, key: deliveryKey(claimed) };
    const found = await messenger.findDelivered({ ...lookup, message: outgoing.message, progress: ledgerProgress(deps, claimed) });
    return found ? { ok: true, ...(found.ref ? { ref: found.ref } : {}), reconciled: true } : null;
  } catch (error) {
    deps.log.warn({ err: error, ...describe(claimed) }, 'could not look for an earlier send; sending again');
    return null;
  }
}

/** The ledger row keeps the messenger's progress, so a retry after a crash resumes a multi-part send. */
function ledgerProgress(deps: DeliverDeps, claimed: Delivery): DeliveryProgress {
  return {
    key: deliveryKey(claimed),
    load: () => readProgress(deps.db, claimed.id),
    save: (state) => saveProgress(deps.db, claimed.id, state, deps.now().toISOString()),
  };
}

async function record(deps: DeliverDeps, claimed: Delivery, result: Attempt, tally: DeliveryTally): Promise<void> {
  const now = deps.now();
  if (result.ok) {
    await markSent(deps.db, claimed.id, result.ref ?? null, now.toISOString());
    if (claimed.kind === 'digest') tally.digestsSent++;
    else tally.alertsSent++;
    if (result.reconciled) {
      tally.reconciled++;
      deps.log.info({ ...describe(claimed) }, 'delivery had arrived before the crash; recorded, not sent again');
    }
    return;
  }
  const triesLeft = !result.permanent && claimed.attempts < deps.settings.maxAttempts;
  const nextAttemptAt = triesLeft
    ? new Date(now.getTime() + retryDelayMs(claimed.attempts, deps.settings.retryBaseMs, result.retryAfterMs)).toISOString()
    : null;
  await markFailed(deps.db, claimed.id, { reason: result.reason, permanent: result.permanent, nextAttemptAt }, now.toISOString());
  const context = { ...describe(claimed), attempts: claimed.attempts, reason: result.reason };
  if (triesLeft) {
    tally.retrying++;
    deps.log.warn({ ...context, nextAttemptAt }, 'delivery failed, will retry');
  } else {
    tally.failed++;
    if (result.permanent) deps.log.warn(context, 'delivery failed for good');
    else deps.log.error(context, 'delivery failed, no tries left');
  }
}

/** Exponential from the base, at most an hour, never sooner than the platform asked. */
export function retryDelayMs(attempts: number, baseMs: number, retryAfterMs?: number): number {
  return Math.max(Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS), retryAfterMs ?? 0);
}

function messengerFor(deps: DeliverDeps, platform: Platform, tally: DeliveryTally): Messenger | null {
  const messenger = deps.messengers.find((candidate) => candidate.platform === platform);
  if (!messenger) tally.noMessenger[platform] = (tally.noMessenger[platform] ?? 0) + 1;
  return messenger ?? null;
}

function reportMissingMessengers(deps: DeliverDeps, tally: DeliveryTally): void {
  for (const [platform, count] of Object.entries(tally.noMessenger)) {
    const fate = platform === 'console' ? 'not sent: there is no console in this process' : 'held: a process that has this platform sends them';
    deps.log.warn({ platform, count }, `deliveries ${fate}`);
  }
}

function describe(delivery: Delivery): Record<string, string> {
  return { kind: delivery.kind, platform: delivery.platform, target: delivery.target, day: delivery.day };
}
