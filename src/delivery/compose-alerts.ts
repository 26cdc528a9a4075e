import type { Paper } from '../domain/paper.ts';
import { toPaperView } from '../domain/paper-view.ts';
import type { PaperView } from '../domain/reply.ts';
import type { Subscription } from '../domain/subscription.ts';
import type { AlertedVersion } from '../store/ledger.ts';
import type { DayListing } from '../store/papers.ts';
import { relevantNewPapers } from './compose-digests.ts';
import { matchSubscriptions, type TextMatcher } from './match-subscriptions.ts';
import type { PlannedDelivery } from './planned-delivery.ts';

/** A day's replacements: the papers a person alerted about before may hear about again, once. */
export function updatedPapers(listing: readonly DayListing[]): Paper[] {
  return listing.filter((item) => item.announceType === 'replace' || item.announceType === 'replace-cross').map((item) => item.paper);
}

/**
 * Each subscriber's alert of the day: the relevant new papers matching any of their subscriptions
 * (each with why), then the updated papers they were alerted about at an older version (`alerted`,
 * from the ledger) — as updates, not as new papers. Only people who still follow something get
 * one; a person with nothing to hear gets nothing.
 */
export async function composeAlerts(
  day: string,
  listing: readonly DayListing[],
  subscriptions: readonly Subscription[],
  alerted: readonly AlertedVersion[],
  matcher?: TextMatcher,
): Promise<PlannedDelivery[]> {
  const fresh = relevantNewPapers(listing).map((item) => item.paper);
  const matches = await matchSubscriptions(fresh, subscriptions, matcher);
  const alerts = new Map<string, { platform: Subscription['platform']; userId: string; views: PaperView[] }>();
  const person = (platform: Subscription['platform'], userId: string) => {
    const id = `${platform}\u0000${userId}`;
    let entry = alerts.get(id);
    if (!entry) {
      entry = { platform, userId, views: [] };
      alerts.set(id, entry);
    }
    return entry;
  };
  for (const { subscriber, papers } of matches) {
    person(subscriber.platform, subscriber.userId).views.push(...papers.map(({ paper, reasons }) => toPaperView(paper, reasons)));
  }
  for (const update of await updatesFor(updatedPapers(listing), subscriptions, alerted, matcher)) {
    person(update.platform, update.target).views.push(update.view);
  }
  return [...alerts.values()].map(({ platform, userId, views }) => ({
    key: { kind: 'alert', platform, target: userId, day },
    outgoing: { kind: 'alert', message: { day, papers: views } },
    papers: views.map((view) => ({ id: view.id, version: view.version, isUpdate: view.isUpdate === true, reasons: view.reasons ?? [] })),
  }));
}

type Update = { readonly platform: Subscription['platform']; readonly target: string; readonly view: PaperView };

/** Updated papers for the people told about an older version who still follow something; reasons when their subscriptions match it still. */
async function updatesFor(
  updated: readonly Paper[],
  subscriptions: readonly Subscription[],
  alerted: readonly AlertedVersion[],
  matcher?: TextMatcher,
): Promise<Update[]> {
  const byId = new Map(updated.map((paper) => [paper.id, paper]));
  const due = alerted.filter((entry) => {
    const paper = byId.get(entry.paperId);
    return paper !== undefined && paper.version > entry.version;
  });
  if (due.length === 0) return [];
  const followers = new Set(subscriptions.map((subscription) => `${subscription.platform}\u0000${subscription.userId}`));
  const reasons = new Map<string, readonly string[]>();
  for (const { subscriber, papers } of await matchSubscriptions([...byId.values()], subscriptions, matcher)) {
    for (const { paper, reasons: why } of papers) reasons.set(`${subscriber.platform}\u0000${subscriber.userId}\u0000${paper.id}`, why);
  }
  const updates: Update[] = [];
  for (const entry of due) {
    const personId = `${entry.platform}\u0000${entry.target}`;
    if (!followers.has(personId)) continue;
    const paper = byId.get(entry.paperId) as Paper;
    const view = { ...toPaperView(paper, reasons.get(`${personId}\u0000${paper.id}`)), isUpdate: true };
    updates.push({ platform: entry.platform, target: entry.target, view });
  }
  return updates;
}
