import type { webApi } from '@slack/bolt';
import { z } from 'zod';

/**
 * Every message the delivery job posts carries Slack message metadata naming the delivery it
 * belongs to (the ledger's key, e.g. `alert:slack:U123:2025-12-18`) and which part of it it is.
 * After a crash between Slack taking a post and the ledger recording it, the messenger finds the
 * post again in the channel's or DM's history (`findDeliveredParts`) instead of posting it twice.
 */
export const DELIVERY_EVENT_TYPE = 'lmsys_papers_delivery';

const DeliveryPartSchema = z.object({
  key: z.string().min(1),
  part: z.number().int().min(0),
  parts: z.number().int().min(1),
  /** The one paper a digest's thread message shows: a 👍/👎 on that message is a vote on it. */
  paper: z.string().min(1).max(40).optional(),
});

export type DeliveryPart = z.infer<typeof DeliveryPartSchema>;

/** The `metadata` argument of chat.postMessage for part `part` of `parts` (showing `paper` alone, when it does). */
export function deliveryMetadata(key: string, part: number, parts: number, paper?: string) {
  return { event_type: DELIVERY_EVENT_TYPE, event_payload: { key, part, parts, ...(paper ? { paper } : {}) } };
}

/** The delivery part a message from history carries; null for anything else (people's messages, other apps). */
export function readDeliveryPart(message: { metadata?: { event_type?: string; event_payload?: unknown } }): DeliveryPart | null {
  if (message.metadata?.event_type !== DELIVERY_EVENT_TYPE) return null;
  const parsed = DeliveryPartSchema.safeParse(message.metadata.event_payload);
  return parsed.success ? parsed.data : null;
}

/** What of a delivery already sits in Slack: the first part's ts (a digest's thread) and how many parts in a row from the first. */
export type FoundParts = { readonly ts: string; readonly sent: number; readonly parts: number };

type HistoryMessage = { ts?: string; metadata?: { event_type?: string; event_payload?: unknown } };

/** Messages a delivery of `day` cannot be older than: two days before it, for announcement-day and time-zone slack. */
function oldestFor(day: string): string {
  return String(Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) - 2 * 86_400);
}

const PAGE = 200;
const MAX_PAGES = 10;

/**
 * Looks for the parts of delivery `key` in `channel`: top-level messages since shortly before
 * `day` (conversations.history, newest first, with metadata), and, when `threaded`, the replies in
 * the first part's thread (conversations.replies). Null when the first part is not there.
 */
export async function findDeliveredParts(client: webApi.WebClient, channel: string, key: string, day: string, threaded: boolean): Promise<FoundParts | null> {
  const topLevel = await ours(client, channel, key, day);
  const first = topLevel.find(({ part }) => part.part === 0);
  if (!first) return null;
  const found = threaded ? await inThread(client, channel, key, first.ts) : topLevel;
  const present = new Set(found.map(({ part }) => part.part));
  let sent = 0;
  while (present.has(sent)) sent += 1;
  return { ts: first.ts, sent, parts: first.part.parts };
}

type Located = { readonly ts: string; readonly part: DeliveryPart };

async function ours(client: webApi.WebClient, channel: string, key: string, day: string): Promise<Located[]> {
  const located: Located[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await client.conversations.history({
      channel,
      oldest: oldestFor(day),
      limit: PAGE,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    });
    located.push(...locate(answer.messages as HistoryMessage[] | undefined, key));
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!answer.has_more || !cursor) return located;
  }
  throw new Error(`more than ${PAGE * MAX_PAGES} messages in ${channel} since ${day}: too many to look through for ${key}`);
}

async function inThread(client: webApi.WebClient, channel: string, key: string, ts: string): Promise<Located[]> {
  const located: Located[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await client.conversations.replies({ channel, ts, limit: PAGE, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
    located.push(...locate(answer.messages as HistoryMessage[] | undefined, key));
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!answer.has_more || !cursor) return located;
  }
  throw new Error(`the thread ${channel}:${ts} has too many replies to look through for ${key}`);
}

function locate(messages: readonly HistoryMessage[] | undefined, key: string): Located[] {
  return (messages ?? []).flatMap((message) => {
    const part = readDeliveryPart(message);
    return part && part.key === key && message.ts ? [{ ts: message.ts, part }] : [];
  });
}
