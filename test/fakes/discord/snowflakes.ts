export type FakeUser = { readonly id: string; readonly username: string };

const DISCORD_EPOCH_MS = 1_420_070_400_000;

/**
 * Increasing ids shaped like Discord's, unique within one fake. The high bits are the time of
 * issue, as in Discord: discord.js reads an interaction's creation time from its id, and the
 * adapter's 3-second budget runs from it.
 */
export class Snowflakes {
  #last = 0n;

  next(): string {
    const now = BigInt(Date.now() - DISCORD_EPOCH_MS) << 22n;
    this.#last = now > this.#last ? now : this.#last + 1n;
    return String(this.#last);
  }
}

/** A message object as Discord returns it after a post or a webhook edit; discord.js builds a Message from it. */
export function fakeMessage(ids: Snowflakes, channelId: string, author: FakeUser, body: Record<string, unknown> | null): Record<string, unknown> {
  return {
    id: ids.next(),
    type: 0,
    channel_id: channelId,
    author: { id: author.id, username: author.username, discriminator: '0', avatar: null, bot: true, global_name: null, public_flags: 0 },
    content: body?.content ?? '',
    embeds: body?.embeds ?? [],
    components: body?.components ?? [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    flags: body?.flags ?? 0,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
  };
}
