import { DISCORD_ERRORS, type FakeResponse, fieldError, invalidFormBody } from './discord-errors.ts';
import { authorOf, type FakeUser, isSnowflake, type Snowflakes } from './snowflakes.ts';

type Json = Record<string, unknown>;

const EPHEMERAL = 64;

/** A channel the bot can reach: the fixture guild's text channels and the DM channels it opened. */
type Channel = { readonly id: string; readonly guildId?: string; readonly recipientId?: string; readonly messages: Json[] };

/** Where a message came from, for the fields Discord adds to webhook and interaction messages. */
export type MessageOrigin = { readonly interaction?: { readonly id: string; readonly type: number; readonly user: Json }; readonly applicationId?: string };

/**
 * The channels and their message history, as Discord keeps them: messages in creation order, each
 * the message object Discord returns (an id, the author, `embeds` of type `rich`, content trimmed).
 * The nonce comes back only in the answer to the post that carried it: Discord does not store it
 * (discord.py: "not stored long term … only used ephemerally"), so history has none.
 */
export class FakeChannels {
  readonly #channels = new Map<string, Channel>();
  readonly #ids: Snowflakes;
  readonly #bot: FakeUser;

  constructor(ids: Snowflakes, bot: FakeUser, guilds: readonly Json[]) {
    this.#ids = ids;
    this.#bot = bot;
    for (const guild of guilds) {
      for (const channel of (guild.channels ?? []) as Json[]) this.add(String(channel.id), String(guild.id));
    }
  }

  /** A guild text channel the bot can see (the fixture guild's are there from the start). */
  add(id: string, guildId = '0'): void {
    if (!this.#channels.has(id)) this.#channels.set(id, { id, guildId, messages: [] });
  }

  has(id: string): boolean {
    return this.#channels.has(id);
  }

  /** The recipient of a DM channel, or undefined for a guild channel. */
  recipientOf(id: string): string | undefined {
    return this.#channels.get(id)?.recipientId;
  }

  /** POST /users/@me/channels: the DM channel with the user, the same one every time. */
  openDm(userId: string): Json {
    let channel = [...this.#channels.values()].find((candidate) => candidate.recipientId === userId);
    if (!channel) {
      channel = { id: this.#ids.next(), recipientId: userId, messages: [] };
      this.#channels.set(channel.id, channel);
    }
    return {
      id: channel.id,
      type: 1,
      last_message_id: channel.messages.at(-1)?.id ?? null,
      flags: 0,
      recipients: [{ id: userId, username: `user${userId}`, global_name: null, discriminator: '0', avatar: null, public_flags: 0 }],
    };
  }

  /** A new message in the channel (kept in its history unless ephemeral), as Discord returns it. */
  create(channelId: string, body: Json, origin: MessageOrigin = {}): Json {
    const message = messageObject(this.#ids.next(), channelId, this.#bot, body, origin);
    if ((Number(message.flags) & EPHEMERAL) === 0) this.#channels.get(channelId)?.messages.push(message);
    return message;
  }

  /** Applies an edit to a message of the history (a webhook edit of a public message). */
  edit(message: Json, body: Json): Json {
    for (const key of ['content', 'embeds', 'components', 'flags'] as const) {
      if (body[key] !== undefined) message[key] = key === 'content' ? String(body[key]).trim() : key === 'embeds' ? rich(body[key]) : body[key];
    }
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  remove(channelId: string, messageId: string): void {
    const messages = this.#channels.get(channelId)?.messages;
    const index = messages?.findIndex((message) => message.id === messageId) ?? -1;
    if (messages && index >= 0) messages.splice(index, 1);
  }

  /** GET /channels/{id}/messages/{message}: the message as history holds it. */
  get(channelId: string, messageId: string): FakeResponse {
    const channel = this.#channels.get(channelId);
    if (!channel) return DISCORD_ERRORS.unknownChannel;
    const message = channel.messages.find((candidate) => candidate.id === messageId);
    return message ? { status: 200, body: withoutNonce(message) } : DISCORD_ERRORS.unknownMessage;
  }

  /** The channel's history, oldest first (what a test asserts on). */
  history(channelId: string): readonly Json[] {
    return this.#channels.get(channelId)?.messages ?? [];
  }

  /**
   * GET /channels/{id}/messages: newest first; `limit` 1–100 (default 50); at most one of
   * `before`, `after`, `around`. `after` gives the messages just after that id, `before` those just
   * before it. No nonce in what comes back.
   */
  list(channelId: string, query: URLSearchParams): FakeResponse {
    const channel = this.#channels.get(channelId);
    if (!channel) return DISCORD_ERRORS.unknownChannel;
    const limit = query.has('limit') ? Number(query.get('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return invalidFormBody(fieldError(['limit'], limit < 1 ? 'NUMBER_TYPE_MIN' : 'NUMBER_TYPE_MAX', 'int value should be between 1 and 100.'));
    }
    const anchors = (['before', 'after', 'around'] as const).filter((key) => query.has(key));
    if (anchors.length > 1)
      return invalidFormBody(fieldError([anchors[1] ?? 'after'], 'BASE_TYPE_INVALID', 'Only one of before, after and around may be given.'));
    const [anchor] = anchors;
    const value = anchor ? String(query.get(anchor)) : '';
    if (anchor && !isSnowflake(value)) return invalidFormBody(fieldError([anchor], 'NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`));
    const at = BigInt(value || '0');
    const all = channel.messages.map(withoutNonce);
    let picked: Json[];
    if (anchor === 'after') picked = all.filter((message) => BigInt(String(message.id)) > at).slice(0, limit);
    else if (anchor === 'before') picked = all.filter((message) => BigInt(String(message.id)) < at).slice(-limit);
    else if (anchor === 'around') {
      const index = all.findIndex((message) => BigInt(String(message.id)) >= at);
      const start = Math.max(0, (index < 0 ? all.length : index) - Math.floor(limit / 2));
      picked = all.slice(start, start + limit);
    } else picked = all.slice(-limit);
    return { status: 200, body: picked.reverse() };
  }
}

/** A message object as Discord returns it after a post, a follow-up or an edit. */
function messageObject(id: string, channelId: string, bot: FakeUser, body: Json, origin: MessageOrigin): Json {
  const interaction = origin.interaction;
  return {
    type: interaction ? (interaction.type === 3 ? 19 : 20) : 0,
    channel_id: channelId,
    content: typeof body.content === 'string' ? body.content.trim() : '',
    attachments: [],
    embeds: rich(body.embeds ?? []),
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: Number(body.flags ?? 0),
    components: body.components ?? [],
    id,
    author: authorOf(bot),
    mentions: [],
    mention_roles: [],
    pinned: false,
    mention_everyone: false,
    tts: false,
    ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
    ...(origin.applicationId ? { application_id: origin.applicationId, webhook_id: origin.applicationId } : {}),
    ...(interaction
      ? {
          interaction_metadata: {
            id: interaction.id,
            type: interaction.type,
            user_id: interaction.user.id,
            user: interaction.user,
            authorizing_integration_owners: {},
          },
        }
      : {}),
  };
}

/** Discord adds `type: "rich"` to every embed a bot sends. */
function rich(embeds: unknown): Json[] {
  return (Array.isArray(embeds) ? (embeds as Json[]) : []).map((embed) => ({ type: 'rich', ...embed }));
}

function withoutNonce(message: Json): Json {
  const { nonce: _nonce, ...rest } = message;
  return rest;
}
