import { readFileSync } from 'node:fs';
import { FakeDiscordGateway } from './gateway-server.ts';
import { FakeDiscordRest } from './rest-server.ts';
import { type FakeUser, Snowflakes } from './snowflakes.ts';

const fixtures = new URL('../../fixtures/discord/', import.meta.url);

/** A Discord payload from test/fixtures/discord, as a fresh copy the test may change. */
export function discordFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), 'utf8')) as Record<string, unknown>;
}

const GUILD = discordFixture('guild-create');
const TOKEN = 'fake-bot-token.for-tests-only';
const BOT: FakeUser = { id: '1100000000000000100', username: 'lmsys-papers' };

export type FakeDiscordOptions = {
  readonly heartbeatIntervalMs?: number;
  /** How long `enforce_nonce` dedupes (Discord: a few minutes). */
  readonly nonceWindowMs?: number;
  /** Latency of every REST answer: a slow Discord. */
  readonly latencyMs?: number;
  /** Privileged intents granted to the application (none by default). */
  readonly grantedIntents?: number;
  /** Where GET /gateway/bot sends the bot (default: the fake gateway); an address nobody listens on is an unreachable gateway. */
  readonly gatewayUrl?: string;
};

/**
 * A local Discord: the REST API and the gateway, sharing one bot, one application and the guild of
 * guild-create.json. Point discord.js at it with `rest: { api: fake.apiUrl }` and log in with
 * `fake.token`. Both refuse what Discord refuses (see FakeDiscordRest and FakeDiscordGateway).
 */
export class FakeDiscord {
  readonly token = TOKEN;
  readonly bot = BOT;
  /** Discord gives a bot user the id of its application. */
  readonly applicationId = BOT.id;
  readonly guildId = String(GUILD.id);
  /** #papers in the fixture guild; the interaction fixtures come from it. */
  readonly channelId = '1100000000000000010';
  readonly rest: FakeDiscordRest;
  readonly gateway: FakeDiscordGateway;

  private constructor(rest: FakeDiscordRest, gateway: FakeDiscordGateway) {
    this.rest = rest;
    this.gateway = gateway;
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const gateway = await FakeDiscordGateway.start({
      bot: BOT,
      token: TOKEN,
      applicationId: BOT.id,
      guilds: [GUILD],
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      grantedIntents: options.grantedIntents,
    });
    const rest = new FakeDiscordRest({
      ids: new Snowflakes(),
      bot: BOT,
      token: TOKEN,
      applicationId: BOT.id,
      guilds: [GUILD],
      gatewayUrl: () => options.gatewayUrl ?? gateway.url,
      nonceWindowMs: options.nonceWindowMs,
      latencyMs: options.latencyMs,
    });
    await rest.listen();
    return new FakeDiscord(rest, gateway);
  }

  get apiUrl(): string {
    return this.rest.apiUrl;
  }

  /**
   * Sends an INTERACTION_CREATE built from a fixture, with a fresh id and token so each one can be
   * answered once. `ageMs`: the interaction was created that long before it reaches the bot (a slow
   * gateway); Discord's 3 seconds run from its creation. Returns the payload sent.
   */
  interact(fixture: string, change: (payload: Record<string, unknown>) => void = () => {}, options: { ageMs?: number } = {}): Record<string, unknown> {
    const payload = discordFixture(fixture);
    payload.id = options.ageMs ? this.rest.ids.at(Date.now() - options.ageMs) : this.rest.ids.next();
    payload.token = `${fixture}.${payload.id}`;
    change(payload);
    this.rest.interactions.register(payload);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /**
   * A person's 👍 (or other emoji) put on (`add`) or taken off a message, as the gateway sends it
   * (gateway-message-reaction-*.json) — if the bot's intents ask for it (see dispatchReaction).
   */
  react(
    kind: 'add' | 'remove',
    fields: { readonly userId: string; readonly channelId: string; readonly messageId: string; readonly emoji: string; readonly inGuild?: boolean },
  ): boolean {
    const payload = discordFixture(kind === 'add' ? 'gateway-message-reaction-add' : 'gateway-message-reaction-remove');
    payload.user_id = fields.userId;
    payload.channel_id = fields.channelId;
    payload.message_id = fields.messageId;
    payload.emoji = { name: fields.emoji, id: null };
    if (payload.member) (payload.member as { user: Record<string, unknown> }).user.id = fields.userId;
    if (fields.inGuild === false) {
      delete payload.guild_id;
      delete payload.member;
    }
    if (kind === 'add') payload.message_author_id = this.bot.id;
    return this.gateway.dispatchReaction(kind === 'add' ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', payload);
  }

  async close(): Promise<void> {
    await Promise.all([this.rest.close(), this.gateway.close()]);
  }
}
