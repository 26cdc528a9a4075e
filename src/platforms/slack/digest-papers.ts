import type { webApi } from '@slack/bolt';
import { readDeliveryPart } from './delivery-metadata.ts';

/** The paper a digest's thread message shows (null: not one of them), and the thread it is in. */
export type MessagePaper = { readonly paperId: string | null; readonly threadTs: string | null };

export type DigestPapers = { paperOf(channel: string, ts: string): Promise<MessagePaper> };

type HistoryMessage = { ts?: string; thread_ts?: string; metadata?: { event_type?: string; event_payload?: unknown } };

const REMEMBERED = 5000;
const PAGE = 200;
const MAX_PAGES = 3;

/**
 * Which paper a message holds, read from its delivery metadata (`paper`, set on each digest thread
 * message). The first reaction in a thread reads the whole thread (conversations.replies takes the
 * ts of any message in it, one Tier 3 call) and remembers every message of it, so the reactions
 * that follow cost no call. Messages that are not a digest's paper (its header, alerts, people's
 * messages) are remembered as none.
 */
export function createDigestPapers(client: webApi.WebClient): DigestPapers {
  const known = new Map<string, MessagePaper>();

  function remember(channel: string, messages: readonly HistoryMessage[]): void {
    for (const message of messages) {
      if (!message.ts) continue;
      const part = readDeliveryPart(message);
      const paperId = part?.key.startsWith('digest:') && part.paper ? part.paper : null;
      known.delete(`${channel}:${message.ts}`);
      known.set(`${channel}:${message.ts}`, { paperId, threadTs: message.thread_ts ?? null });
    }
    // Oldest first out: a Map iterates in insertion order.
    for (const key of known.keys()) {
      if (known.size <= REMEMBERED) break;
      known.delete(key);
    }
  }

  /** Reads under way, so a burst of reactions on one message makes one call. */
  const reading = new Map<string, Promise<MessagePaper>>();

  async function read(channel: string, ts: string, key: string): Promise<MessagePaper> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await client.conversations.replies({ channel, ts, limit: PAGE, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
      remember(channel, (answer.messages ?? []) as HistoryMessage[]);
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (known.has(key) || !answer.has_more || !cursor) break;
    }
    const found = known.get(key) ?? { paperId: null, threadTs: null };
    known.set(key, found);
    return found;
  }

  return {
    paperOf(channel, ts) {
      const key = `${channel}:${ts}`;
      const cached = known.get(key);
      if (cached) return Promise.resolve(cached);
      const pending = reading.get(key) ?? read(channel, ts, key).finally(() => reading.delete(key));
      reading.set(key, pending);
      return pending;
    },
  };
}
