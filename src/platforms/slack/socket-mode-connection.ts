import { type App, SocketModeReceiver, type webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../log.ts';
import { boltLogger } from './bolt-logger.ts';
import type { ConnectionEnd } from './reconnect-policy.ts';
import { untilStopped } from './until-stopped.ts';

/** On stop, how long the close handshake may take before the connection is left to the SDK's own timeout (stop must end `serve` within 5 s). */
const CLOSE_GRACE_MS = 500;

/** Slack's recycle message (fixtures/slack/socket/disconnect-*.json): only the fields we act on. */
const DisconnectMessageSchema = z.object({ type: z.literal('disconnect'), reason: z.string() });

export type SocketModeConnection = {
  /**
   * Resolves when the connection stops taking envelopes: on Slack's `disconnect` message (the SDK
   * starts closing it there and then) or when it closed without one.
   */
  readonly ended: Promise<ConnectionEnd>;
  /** Resolves once the WebSocket is closed. */
  readonly closed: Promise<void>;
  /** Closes it, waiting for the close handshake at most CLOSE_GRACE_MS. */
  close(): Promise<void>;
};

export type OpenConnectionOptions = {
  readonly app: App;
  readonly appToken: string;
  /** For the SDK's apps.connections.open calls: the API URL, fetch (stoppable), no retries of its own. */
  readonly clientOptions: webApi.WebClientOptions;
  readonly log: Logger;
  readonly helloTimeoutMs: number;
  readonly signal: AbortSignal;
};

/**
 * Opens one Socket Mode connection: a fresh apps.connections.open ticket, the WebSocket, Slack's
 * hello. Each connection is a Bolt SocketModeReceiver of its own, so envelopes reach the app and
 * are acked on the connection they came on, with the SDK's reconnection off: what follows the end
 * of a connection is the caller's decision (socket-mode-receiver.ts). Rejects when a step fails
 * or no hello comes in time; null when the stop signal came first (nothing is left open).
 */
export async function openConnection(options: OpenConnectionOptions): Promise<SocketModeConnection | null> {
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: boltLogger(options.log),
    autoReconnectEnabled: false,
    installerOptions: { clientOptions: options.clientOptions },
  });
  receiver.init(options.app);
  const client = receiver.client;
  let helloAt = 0;
  let settleEnd: (end: ConnectionEnd) => void = () => undefined;
  const ended = new Promise<ConnectionEnd>((resolve) => {
    settleEnd = (end) => resolve(end);
  });
  const closed = new Promise<void>((resolve) => client.once('disconnected', () => resolve()));
  const upMs = () => (helloAt ? performance.now() - helloAt : 0);
  // The SDK passes every WebSocket message through this event; we only read Slack's `disconnect`,
  // to open the next connection while the SDK closes this one, instead of after its close handshake.
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    const reason = isBinary ? null : disconnectReason(data);
    if (reason) settleEnd({ kind: reason === 'too_many_websockets' ? 'too_many_websockets' : 'recycled', reason, upMs: upMs() });
  });
  closed.then(() => settleEnd({ kind: 'dropped', reason: 'connection closed', upMs: upMs() }));
  let websocketError: unknown = null;
  client.on('error', (error: unknown) => {
    websocketError = error;
  });

  const close = async () => {
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([client.disconnect(), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
  };
  const starting = receiver.start().then(
    () => 'hello' as const,
    (error: unknown) => {
      // The SDK rejects with nothing when the WebSocket closed before hello (a refused upgrade).
      throw error ?? new Error('the Socket Mode connection closed before Slack said hello', { cause: websocketError ?? undefined });
    },
  );
  starting.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.helloTimeoutMs);
  });
  try {
    const outcome = await untilStopped(Promise.race([starting, timedOut]), options.signal);
    if (outcome === 'hello') {
      helloAt = performance.now();
      return { ended, closed, close };
    }
    // A ticket request still under way would open the WebSocket after disconnect(): close it then too.
    starting.then(close, () => undefined);
    if (outcome === 'stopped') {
      void close();
      return null;
    }
    await close();
    throw new Error(`Slack did not say hello within ${options.helloTimeoutMs} ms of connecting`);
  } finally {
    clearTimeout(timer);
  }
}

/** The reason of Slack's `disconnect` message; null for anything else (envelopes, hello). */
export function disconnectReason(data: unknown): string | null {
  if (typeof data !== 'string' || !data.includes('"disconnect"')) return null;
  try {
    const message = DisconnectMessageSchema.safeParse(JSON.parse(data));
    return message.success ? message.data.reason : null;
  } catch {
    return null;
  }
}
