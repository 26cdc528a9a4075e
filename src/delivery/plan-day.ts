import type { Platform } from '../domain/delivery.ts';
import { enabledChannelDigests } from '../store/channels.ts';
import type { Database } from '../store/db.ts';
import { alertedVersions } from '../store/ledger.ts';
import type { DayListing } from '../store/papers.ts';
import { allSubscriptions } from '../store/subscriptions.ts';
import { composeAlerts, updatedPapers } from './compose-alerts.ts';
import { composeDigests, digestChannels } from './compose-digests.ts';
import { addPicks } from './compose-picks.ts';
import type { TextMatcher } from './match-subscriptions.ts';
import type { PlannedDelivery } from './planned-delivery.ts';

export type PlanSettings = {
  /** Channels that always get the full digest (SLACK_DIGEST_CHANNELS, DISCORD_DIGEST_CHANNELS). */
  readonly configuredChannels: readonly { platform: Platform; channelIds: readonly string[] }[];
  readonly emptyNote: boolean;
  readonly tagOrder: readonly string[];
  readonly matcher?: TextMatcher;
  /** Stamps models retrained while planning (picks need current models). */
  readonly now?: () => Date;
};

/** Every digest and alert (with its picks) a day's listing calls for, from the channel settings, subscriptions, votes and the ledger. */
export async function planDay(q: Database, day: string, listing: readonly DayListing[], settings: PlanSettings): Promise<PlannedDelivery[]> {
  if (listing.length === 0) return [];
  const channels = digestChannels(await enabledChannelDigests(q), settings.configuredChannels);
  const digests = composeDigests(day, listing, channels, { emptyNote: settings.emptyNote, tagOrder: settings.tagOrder });
  const alerted = await alertedVersions(
    q,
    updatedPapers(listing).map((paper) => paper.id),
    day,
  );
  const alerts = await composeAlerts(day, listing, await allSubscriptions(q), alerted, settings.matcher);
  return addPicks(q, day, listing, [...digests, ...alerts], (settings.now ?? (() => new Date()))());
}
