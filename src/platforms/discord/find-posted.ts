import { type APIMessage, type REST, Routes } from 'discord.js';
import type { DeliveryProgress } from '../../domain/delivery.ts';
import type { Logger } from '../../log.ts';
import type { DiscordMessage } from './discord-message.ts';
import { readState, writeState } from './send-state.ts';

/** Discord answers at most 100 messages a page; a crash is looked for in the last few hundred. */
const PAGE = 100;
const MAX_PAGES = 5;
const DAY_MS = 86_400_000;

export type FindPostedOptions = {
  readonly rest: REST;
  readonly log: Logger;
  /** The bot's user id: only its own messages count. */
  readonly botId: string;
  readonly channelId: string;
  /** The announcement day: nothing of this send can be older than the day before it. */
  readonly day: string;
  /** The send's messages, as it posts them. */
  readonly messages: readonly DiscordMessage[];
  readonly progress: DeliveryProgress;
};

/**
 * Whether a send that may have been cut off (a crash, a lost answer) arrived, from the channel's
 * recent messages. Discord keeps a nonce only a few minutes and does not return it with history,
 * so a message is recognised by what it says: the bot's own message (not an interaction answer)
 * with the same text and the same embeds (titles and footers, which name each paper and version),
 * in order, after the messages the progress already records. The progress says how far the send
 * got before; at most the next message can be unrecorded, as each is recorded before the next
 * goes out. All found: the send is complete (its first message's id). Some: they are recorded, so
 * the retry goes on after them. None: null, and the retry posts them.
 */
export async function findPosted(options: FindPostedOptions): Promise<{ ref?: string } | null> {
  const { messages, progress } = options;
  const state = readState(await progress.load(), options.log);
  if (state.posted >= messages.length) return state.ref ? { ref: state.ref } : {};
  const history = await recentMessages(options, state.ref);
  let ref = state.ref;
  let after = BigInt(state.ref ?? 0);
  let posted = state.posted;
  for (const expected of messages.slice(state.posted)) {
    const match = history.find((message) => BigInt(message.id) > after && isSame(message, expected, options.botId));
    if (!match) break;
    ref ??= match.id;
    after = BigInt(match.id);
    posted++;
  }
  if (posted === messages.length) return ref ? { ref } : {};
  if (posted > state.posted) await progress.save(writeState(ref ? { ref, posted } : { posted }));
  return null;
}

/**
 * The channel's messages, oldest first, back to the send's first message when known, else to the
 * day before the announcement day (a page at a time, newest first, as Discord pages).
 */
async function recentMessages(options: FindPostedOptions, firstId: string | undefined): Promise<APIMessage[]> {
  const oldest = firstId ? BigInt(firstId) : snowflakeAt(Date.parse(`${options.day}T00:00:00Z`) - DAY_MS);
  const found: APIMessage[] = [];
  let before: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE), ...(before ? { before } : {}) });
    const batch = (await options.rest.get(Routes.channelMessages(options.channelId), { query })) as APIMessage[];
    found.push(...batch);
    const last = batch.at(-1);
    if (!last || batch.length < PAGE || BigInt(last.id) <= oldest) break;
    before = last.id;
  }
  return found.filter((message) => BigInt(message.id) >= oldest).reverse();
}

/** Ours, not an answer to an interaction, and saying what the expected message says. */
function isSame(message: APIMessage, expected: DiscordMessage, botId: string): boolean {
  if (message.author.id !== botId || message.webhook_id || message.interaction_metadata) return false;
  if (message.content.trim() !== expected.content.trim()) return false;
  const embeds = message.embeds ?? [];
  if (embeds.length !== expected.embeds.length) return false;
  return expected.embeds.every((embed, index) => embeds[index]?.title === embed.title && embeds[index]?.footer?.text === embed.footer?.text);
}

/** The smallest snowflake of a moment (Discord's epoch is 2015-01-01). */
function snowflakeAt(ms: number): bigint {
  return BigInt(Math.max(0, ms - 1_420_070_400_000)) << 22n;
}
