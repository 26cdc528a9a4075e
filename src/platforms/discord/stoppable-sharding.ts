import { setTimeout as delay } from 'node:timers/promises';
import { type GatewaySendPayload, type IShardingStrategy, SimpleShardingStrategy, type WebSocketOptions, type WebSocketShardDestroyOptions } from 'discord.js';

/** The gateway manager of @discordjs/ws that discord.js hands to `ws.buildStrategy`. */
type GatewayManager = Parameters<NonNullable<WebSocketOptions['buildStrategy']>>[0];

/** How long the shards may take to close their connections on stop before the sockets are cut. */
const CLOSE_WAIT_MS = 1000;
const NEVER = new Promise<never>(() => {});

/**
 * discord.js's own way to run shards (SimpleShardingStrategy: all in this process), with a stop
 * that holds. Destroying a discord.js client does not end a reconnect already scheduled: a shard
 * whose connection failed waits half a second and connects again, and a destroy that lands in that
 * half second finds the shard idle and does nothing, so with the gateway unreachable it reconnects
 * twice a second for ever. Every (re)connect starts by reading the shard's session
 * (`retrieveSessionInfo`, a documented manager option): once `stopped` is aborted, that read never
 * ends, so no socket is opened and no timer runs. The destroy that follows the stop cuts a
 * connection that does not close within a second, or is still opening (a gateway that took the
 * TCP connection and never answered). A destroy without the stop (discord.js re-sharding) is
 * discord.js's own.
 */
export class StoppableSharding implements IShardingStrategy {
  readonly #inner: SimpleShardingStrategy;
  readonly #stopped: AbortSignal;

  constructor(manager: GatewayManager, stopped: AbortSignal) {
    this.#inner = new SimpleShardingStrategy(manager);
    this.#stopped = stopped;
    const read = manager.options.retrieveSessionInfo.bind(manager.options);
    manager.options.retrieveSessionInfo = (shardId) => (stopped.aborted ? NEVER : read(shardId));
  }

  spawn(shardIds: number[]) {
    return this.#inner.spawn(shardIds);
  }

  connect() {
    return this.#inner.connect();
  }

  send(shardId: number, payload: GatewaySendPayload) {
    return this.#inner.send(shardId, payload);
  }

  fetchStatus() {
    return this.#inner.fetchStatus();
  }

  async destroy(options?: Omit<WebSocketShardDestroyOptions, 'recover'>): Promise<void> {
    if (!this.#stopped.aborted) return this.#inner.destroy(options);
    const shards = shardsOf(this.#inner);
    const timer = new AbortController();
    await Promise.race([this.#inner.destroy(options), delay(CLOSE_WAIT_MS, null, { signal: timer.signal }).catch(() => null)]);
    timer.abort();
    for (const shard of shards) cut(shard);
  }
}

/** The shard's socket: a discord.js internal (`connection`, a `ws` WebSocket in Node). */
type Socket = { readonly readyState: number; terminate?(): void; close(): void; on?(event: 'error', listener: () => void): void };
type Shard = { readonly connection?: Socket | null };

/** SimpleShardingStrategy's shards (an internal field), taken before destroy() forgets them. */
function shardsOf(strategy: SimpleShardingStrategy): Shard[] {
  return [...((strategy as unknown as { shards?: Map<number, Shard> }).shards?.values() ?? [])];
}

const CLOSED = 3;

/** Ends a socket discord.js left behind: it closes only open ones, and waits as long as the peer takes. */
function cut(shard: Shard): void {
  const socket = shard.connection;
  if (!socket || socket.readyState === CLOSED) return;
  // discord.js has removed its listeners; an aborted handshake still emits 'error', which must not go unheard.
  socket.on?.('error', () => {});
  if (socket.terminate) socket.terminate();
  else socket.close();
}
