import type { Platform } from '../domain/delivery.ts';
import { enabledChannelDigests } from '../store/channels.ts';
import type { Queryable } from '../store/db.ts';
import { alertedVersions } from '../store/ledger.ts';
import type { DayListing } from '../store/papers.ts';
import { allSubscriptions } from '../store/subscriptions.ts';
import { composeAlerts, updatedPapers } from './compose-alerts.ts';
import { composeDigests, digestChannels } from './compose-digests.ts';
import type { TextMatcher } from './match-subscriptions.ts';
import type { PlannedDelivery } from './planned-delivery.ts';

export type PlanSettings = {
  /** Channels that always get the full digest (SLACK_DIGEST_CHANNELS, DISCORD_DIGEST_CHANNELS). */
  readonly configuredChannels: readonly { platform: Platform; channelIds: readonly string[] }[];
  readonly emptyNote: boolean;
  readonly tagOrder: readonly string[];
  readonly matcher?: TextMatcher;
};

/** Every digest and alert a day's listing calls for, from the channel settings, subscriptions and the ledger. */
export async function planDay(q: Queryable, day: string, listing: readonly DayListing[], settings: PlanSettings): Promise<PlannedDelivery[]> {
  if (listing.length === 0) return [];
  const channels = digestChannels(await enabledChannelDigests(q), settings.configuredChannels);
  const digests = composeDigests(day, listing, channels, { emptyNote: settings.emptyNote, tagOrder: settings.tagOrder });
  const alerted = await alertedVersions(
    q,
    updatedPapers(listing).map((paper) => paper.id),
    day,
  );
  const alerts = await composeAlerts(day, listing, await allSubscriptions(q), alerted, settings.matcher);
  return [...digests, ...alerts];
}
