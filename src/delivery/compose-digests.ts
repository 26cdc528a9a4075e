import type { Platform } from '../domain/delivery.ts';
import { toPaperView } from '../domain/paper-view.ts';
import type { ChannelDigest } from '../store/channels.ts';
import type { DayListing } from '../store/papers.ts';
import { digestMessage } from './digest-message.ts';
import type { PlannedDelivery } from './planned-delivery.ts';

/** A channel that gets the digest; `tags` empty = every relevant paper, else papers with any of them. */
export type DigestChannel = { readonly platform: Platform; readonly channelId: string; readonly tags: readonly string[] };

/**
 * Channels turned on with `/digest here`, plus those listed in the configuration, which get every
 * relevant paper whatever their `/digest` setting says (a channel in both gets one digest).
 */
export function digestChannels(
  enabled: readonly ChannelDigest[],
  configured: readonly { platform: Platform; channelIds: readonly string[] }[],
): DigestChannel[] {
  const channels = new Map<string, DigestChannel>();
  for (const { platform, channelId, tags } of enabled) channels.set(`${platform}\u0000${channelId}`, { platform, channelId, tags });
  for (const { platform, channelIds } of configured) {
    for (const channelId of channelIds) channels.set(`${platform}\u0000${channelId}`, { platform, channelId, tags: [] });
  }
  return [...channels.values()];
}

/** A day's relevant new papers: listed as new or cross-list (not replacements), with a relevant verdict. */
export function relevantNewPapers(listing: readonly DayListing[]): DayListing[] {
  return listing.filter((item) => (item.announceType === 'new' || item.announceType === 'cross') && item.paper.classification.relevant === true);
}

export type DigestOptions = {
  /** Post a one-line note to a channel that has no papers for the day (DIGEST_EMPTY_NOTE). */
  readonly emptyNote: boolean;
  /** The vocabulary's order, for ties in the header's counts. */
  readonly tagOrder?: readonly string[];
};

/**
 * Each channel's digest of the day: the relevant new papers with any of its tags. A day without an
 * announcement gives nothing; a channel with no papers gets nothing unless `emptyNote`.
 */
export function composeDigests(day: string, listing: readonly DayListing[], channels: readonly DigestChannel[], options: DigestOptions): PlannedDelivery[] {
  if (listing.length === 0) return [];
  const relevant = relevantNewPapers(listing).map((item) => item.paper);
  const plans: PlannedDelivery[] = [];
  for (const channel of channels) {
    const wanted = new Set(channel.tags);
    const papers = wanted.size ? relevant.filter((paper) => paper.classification.tags.some((tag) => wanted.has(tag))) : relevant;
    if (papers.length === 0 && !options.emptyNote) continue;
    const message = digestMessage(
      day,
      papers.map((paper) => toPaperView(paper)),
      options.tagOrder,
    );
    plans.push({
      key: { kind: 'digest', platform: channel.platform, target: channel.channelId, day },
      outgoing: { kind: 'digest', message },
      papers: message.papers.map((view) => ({ id: view.id, version: view.version, isUpdate: false, reasons: [] })),
    });
  }
  return plans;
}
