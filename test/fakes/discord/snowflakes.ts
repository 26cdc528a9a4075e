export type FakeUser = { readonly id: string; readonly username: string };

/** Increasing ids shaped like Discord's (timestamp in the high bits), unique within one fake. */
export class Snowflakes {
  #next = (BigInt(Date.now() - 1_420_070_400_000) << 22n) | 1n;

  next(): string {
    this.#next += 1n;
    return String(this.#next);
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
