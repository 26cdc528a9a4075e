import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Client,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  type Interaction,
  type MessageReaction,
  type PartialMessageReaction,
  Partials,
  type PartialUser,
  RESTEvents,
  type User,
} from 'discord.js';
import type { Messenger } from '../../domain/delivery.ts';
import { UserError } from '../../domain/errors.ts';
import type { Logger } from '../../log.ts';
import type { ActionStore } from './action-store.ts';
import type { CommandPort } from './command-port.ts';
import { createDiscordMessenger } from './discord-messenger.ts';
import { restOptions } from './discord-rest.ts';
import { explainUnreachable } from './explain-unreachable.ts';
import { handleInteraction } from './handle-interaction.ts';
import { handleReaction } from './handle-reaction.ts';
import { StoppableSharding } from './stoppable-sharding.ts';

export type DiscordStartOptions = {
  /** DISCORD_API_URL; the gateway URL comes from its GET /gateway/bot. */
  readonly apiUrl: string;
  readonly token: string;
  readonly adminRoleId?: string;
  readonly port: CommandPort;
  readonly store: ActionStore;
  readonly log: Logger;
  /** Answer directly when a command is done within this, else defer first; default 1.5 s. */
  readonly deferAfterMs?: number;
  /** How long stop() lets answers in progress finish. */
  readonly drainMs?: number;
  /**
   * Aborted when the service stops: a start still connecting gives up (and rejects with the
   * signal's reason), waits and retries in the messenger end, REST requests get a short grace.
   */
  readonly signal?: AbortSignal;
};

export type DiscordBot = {
  readonly client: Client;
  /** Digests and alert DMs through the bot's REST queue (shared rate limits). */
  readonly messenger: Messenger;
  stop(): Promise<void>;
};

/** Answers still in progress when stop() is called get this long (Discord's own window is 3 s). */
const DRAIN_MS = 2000;

/**
 * Logs the bot in (Guilds, and GuildMessageReactions for 👍/👎 on digest papers: neither is
 * privileged), answers interactions and counts reactions, and logs gateway trouble. Reactions on
 * messages discord.js has not seen (the digest is posted over REST, and a restart forgets) arrive
 * as partials, so the Message, Reaction and User partials are on. discord.js reconnects by itself: a resumable close
 * resumes the session and Discord replays what was missed. stop() takes no new interactions, lets
 * the ones in progress finish (bounded), then closes the gateway for good: no reconnect follows,
 * whatever state the connection was in (see StoppableSharding).
 */
export async function startDiscord(options: DiscordStartOptions): Promise<DiscordBot> {
  const log = options.log;
  // Aborted once the bot is stopping for good (stop(), or a start that failed or was cancelled): no reconnect after it.
  const closing = new AbortController();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
    partials: [Partials.Message, Partials.Reaction, Partials.User],
    rest: restOptions(options.apiUrl, options.signal),
    allowedMentions: { parse: [] },
    ws: { buildStrategy: (manager) => new StoppableSharding(manager, closing.signal) },
  });
  const deps = { port: options.port, store: options.store, log, adminRoleId: options.adminRoleId, deferAfterMs: options.deferAfterMs ?? 1500 };
  const inFlight = new Set<Promise<void>>();
  const onInteraction = (interaction: Interaction) => {
    const handled = handleInteraction(interaction, deps).finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  };
  client.on(Events.InteractionCreate, onInteraction);
  const reactionDeps = { port: options.port, log, botId: () => client.user?.id ?? null };
  // Reactions on one message are handled in the order they came (a 👍 put on and taken off is not
  // undone out of order), and the message is fetched once for all of them.
  const reactionChains = new Map<string, Promise<void>>();
  const onReaction = (kind: 'added' | 'removed') => (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
    const key = reaction.message.id;
    const handled: Promise<void> = (reactionChains.get(key) ?? Promise.resolve())
      .then(() => handleReaction(reaction, user, kind, reactionDeps))
      .catch((error: unknown) => log.error({ err: error, messageId: key }, 'discord reaction failed'))
      .finally(() => {
        inFlight.delete(handled);
        if (reactionChains.get(key) === handled) reactionChains.delete(key);
      });
    reactionChains.set(key, handled);
    inFlight.add(handled);
  };
  const onAdded = onReaction('added');
  const onRemoved = onReaction('removed');
  client.on(Events.MessageReactionAdd, onAdded);
  client.on(Events.MessageReactionRemove, onRemoved);
  client.on(Events.ShardDisconnect, (event, shardId) => log.warn({ shardId, code: event.code }, 'discord gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => log.info({ shardId }, 'discord gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, 'discord gateway resumed'));
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.rest.on(RESTEvents.RateLimited, (limit) =>
    log.warn({ route: limit.route, retryAfterMs: limit.retryAfter, global: limit.global, scope: limit.scope }, 'discord rate limited'),
  );
  await logIn(client, options.token, options.apiUrl, options.signal, closing);
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord bot ready');
  let stopped: Promise<void> | null = null;
  const stop = async () => {
    client.off(Events.InteractionCreate, onInteraction);
    client.off(Events.MessageReactionAdd, onAdded);
    client.off(Events.MessageReactionRemove, onRemoved);
    const drain = new AbortController();
    await Promise.race([Promise.allSettled(inFlight), delay(options.drainMs ?? DRAIN_MS, null, { signal: drain.signal }).catch(() => null)]);
    drain.abort();
    closing.abort();
    await client.destroy();
    log.info('discord bot stopped');
  };
  return {
    client,
    messenger: createDiscordMessenger({ rest: client.rest, log, signal: options.signal }),
    stop() {
      stopped ??= stop();
      return stopped;
    },
  };
}

/**
 * Resolves once the gateway session is ready. A refusal (a rejected token, intents not granted)
 * rejects; an unreachable gateway keeps discord.js trying until `signal` aborts, which rejects with
 * its reason. Either way a client that did not become ready is destroyed, so nothing goes on
 * connecting in the background.
 */
async function logIn(client: Client, token: string, apiUrl: string, signal: AbortSignal | undefined, closing: AbortController): Promise<void> {
  const ready = once(client, Events.ClientReady, signal ? { signal } : {});
  const loggedIn = client.login(token);
  const stopped = signal ? aborted(signal) : NEVER;
  try {
    await Promise.race([Promise.all([loggedIn, ready]), stopped]);
  } catch (error) {
    loggedIn.catch(() => {});
    ready.catch(() => {});
    closing.abort();
    await client.destroy();
    throw explainLoginError(error, apiUrl);
  }
}

/** Discord's refusal of the token (401 on GET /gateway/bot) is the operator's to fix: say which setting; Discord out of reach says so. */
function explainLoginError(error: unknown, apiUrl: string): unknown {
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) {
    return new UserError('Discord rejected DISCORD_TOKEN: copy the bot token again from the Developer Portal (Bot → Reset Token).');
  }
  return explainUnreachable(error, apiUrl);
}

const NEVER = new Promise<never>(() => {});

function aborted(signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return once(signal, 'abort').then(() => Promise.reject(signal.reason));
}
