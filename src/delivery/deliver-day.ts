import { deliveryKey, deliveryStatusesOn } from '../store/ledger.ts';
import { type DayListing, papersAnnouncedOn } from '../store/papers.ts';
import { addTally, type DeliverDeps, type DeliveryTally, deliverPlanned, retryDue } from './deliver.ts';
import { type PlanSettings, planDay } from './plan-day.ts';

export type DayDelivery = {
  /** Everything the day listed (new, cross-lists, replacements); empty when arXiv announced nothing. */
  readonly listing: readonly DayListing[];
  /** Deliveries the day calls for, and how many of them the ledger already held. */
  readonly planned: number;
  readonly alreadyClaimed: number;
  readonly tally: DeliveryTally;
  /** Time spent composing (matching subscriptions, reading the ledger) and sending, on the deps' clock. */
  readonly planMs: number;
  readonly sendMs: number;
};

/**
 * Delivers one announcement day: first what is due again of it (failed sends, claims of a process
 * that died), then every planned delivery the ledger has no row for. Running it twice sends nothing
 * twice; running it after a crash sends what the crash left unsent.
 */
export async function deliverDay(deps: DeliverDeps, settings: PlanSettings, day: string): Promise<DayDelivery> {
  const started = deps.now().getTime();
  const tally = await retryDue(deps, day);
  const retried = deps.now().getTime();
  const listing = await papersAnnouncedOn(deps.db, day);
  const plans = await planDay(deps.db, day, listing, settings);
  const statuses = await deliveryStatusesOn(deps.db, day);
  const fresh = plans.filter((plan) => !statuses.has(deliveryKey(plan.key)));
  const planned = deps.now().getTime();
  addTally(tally, await deliverPlanned(deps, fresh));
  const planMs = planned - retried;
  return { listing, planned: plans.length, alreadyClaimed: plans.length - fresh.length, tally, planMs, sendMs: deps.now().getTime() - started - planMs };
}
