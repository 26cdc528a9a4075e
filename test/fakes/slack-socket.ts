import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { eventCallback } from './slack-events.ts';
import type { SlackManifest } from './slack-manifest.ts';

/** What the bot sent back for an envelope: Socket Mode's ack (fixtures/slack/socket/ack.json). */
export type SocketAck = { readonly envelope_id: string; readonly payload?: Record<string, unknown> };

/** An ack as the fake saw it: how long after the envelope it came, and whether Slack would use its payload. */
export type RecordedAck = { readonly type: string; readonly ack: SocketAck; readonly ms: number; readonly acceptsResponsePayload: boolean };

export type DisconnectReason = 'warning' | 'refresh_requested' | 'too_many_websockets';

export type FakeSlackSocketOptions = {
  /** Slack pings every connection; the SDK closes one whose pings stop (30 s), and the bot opens another. */
  readonly pingIntervalMs?: number;
  /** Slack allows 10 connections per app; one more gets `too_many_websockets`. */
  readonly maxConnections?: number;
  /** After a `disconnect` message Slack closes the connection itself if the app has not (assumed: soon). */
  readonly closeAfterDisconnectMs?: number;
};

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/socket/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const HELLO = fixture('hello.json');
const DISCONNECTS: Record<DisconnectReason, Record<string, unknown>> = {
  warning: fixture('disconnect-warning.json'),
  refresh_requested: fixture('disconnect-refresh_requested.json'),
  too_many_websockets: fixture('disconnect-too_many_websockets.json'),
};
/** Only slash commands (and not button clicks or events) take a response in the ack (the envelope fixtures). */
const ACCEPTS_RESPONSE_PAYLOAD: Record<string, boolean> = {
  slash_commands: fixture('slash_commands.envelope.json').accepts_response_payload === true,
  interactive: fixture('interactive-block_actions.envelope.json').accepts_response_payload === true,
  events_api: fixture('events_api-reaction_added.envelope.json').accepts_response_payload === true,
};

/**
 * A local Socket Mode endpoint, as Slack runs it. apps.connections.open (the Web API fake) hands out
 * one-use ticket URLs from `issueUrl`; a connection with an unknown or used ticket is refused. Every
 * connection gets `hello` first (reconnects too), then pings; `disconnect` sends Slack's recycle
 * message and closes the connection if the app does not; an eleventh connection gets
 * `too_many_websockets`. `deliver` sends an envelope on the newest connection not being recycled
 * (waiting for one if there is none) and resolves with the app's ack, recording how long it took.
 */
export class FakeSlackSocket extends EventEmitter {
  readonly #server = createServer((_request, response) => response.writeHead(426).end());
  readonly #sockets = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #acks = new Map<string, (ack: SocketAck) => void>();
  readonly #live: WebSocket[] = [];
  /** Connections sent a `disconnect`: Slack routes nothing more to them. */
  readonly #recycled = new WeakSet<WebSocket>();
  readonly #tcp = new WeakMap<WebSocket, Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #options: Required<FakeSlackSocketOptions>;
  /** Connections accepted so far (each got `hello`). */
  connections = 0;
  /** Upgrades refused for a bad ticket. */
  refusedTickets = 0;
  /** False: connections are accepted and then left silent, a Slack that never finishes the handshake. */
  sayHello = true;
  /**
   * True: a connection sent a `disconnect` is left hanging (nothing more is read from it, nor is it
   * closed), so the app's close never completes by itself; Slack does not close the TCP connection
   * after the close handshake (@slack/socket-mode 3.2.0's release notes).
   */
  holdRecycled = false;
  readonly acks: RecordedAck[] = [];
  /** Events Slack would not have sent (not subscribed to, or without the scope), with why. */
  readonly withheldEvents: string[] = [];
  #base = '';
  #ticket = 0;

  private constructor(options: FakeSlackSocketOptions) {
    super();
    this.#options = { pingIntervalMs: 5000, maxConnections: 10, closeAfterDisconnectMs: 1000, ...options };
    this.#server.on('upgrade', (request, socket: Socket, head) => {
      const ticket = new URL(request.url ?? '/', 'ws://fake').searchParams.get('ticket') ?? '';
      if (!this.#tickets.delete(ticket)) {
        this.refusedTickets += 1;
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      this.#sockets.handleUpgrade(request, socket, head, (connection) => {
        this.#tcp.set(connection, socket);
        this.#accept(connection);
      });
    });
  }

  static async start(options: FakeSlackSocketOptions = {}): Promise<FakeSlackSocket> {
    const fake = new FakeSlackSocket(options);
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server, 'listening');
    fake.#base = `ws://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** A URL for one connection, as apps.connections.open returns (fixtures/slack/socket/apps.connections.open.json). */
  issueUrl(): string {
    this.#ticket += 1;
    const ticket = `${this.#ticket}-${randomUUID()}`;
    this.#tickets.add(ticket);
    return `${this.#base}/link/?ticket=${ticket}&app_id=A0001`;
  }

  /** Open connections, oldest first. */
  get open(): readonly WebSocket[] {
    return this.#live;
  }

  /**
   * The newest open connection Slack would deliver on: not one it has sent a `disconnect` (waits for
   * the bot to connect, as an envelope waits for a connection).
   */
  async connection(): Promise<WebSocket> {
    for (;;) {
      const usable = this.#live.findLast((socket) => !this.#recycled.has(socket));
      if (usable) return usable;
      await once(this, 'connection');
    }
  }

  /** Resolves when connection number `count` (1-based, counting reconnects) has been accepted. */
  async waitForConnections(count: number): Promise<void> {
    while (this.connections < count) await once(this, 'connection');
  }

  /** Sends `{ envelope_id, payload, type, accepts_response_payload }` and resolves with the bot's ack of that envelope. */
  async deliver(type: string, payload: Record<string, unknown>): Promise<SocketAck> {
    const socket = await this.connection();
    const envelopeId = randomUUID();
    const acceptsResponsePayload = ACCEPTS_RESPONSE_PAYLOAD[type] ?? false;
    const sentAt = performance.now();
    const acked = new Promise<SocketAck>((resolve) =>
      this.#acks.set(envelopeId, (ack) => {
        this.acks.push({ type, ack, ms: performance.now() - sentAt, acceptsResponsePayload });
        resolve(ack);
      }),
    );
    const retry = type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {};
    socket.send(JSON.stringify({ envelope_id: envelopeId, payload, type, accepts_response_payload: acceptsResponsePayload, ...retry }));
    return acked;
  }

  /**
   * An Events API event, as Slack sends it over Socket Mode (an `events_api` envelope around the
   * `event_callback` body) — only if the app's manifest subscribes to it and grants its scope, as
   * Slack does; otherwise nothing is sent, the reason is recorded, and this resolves with null.
   */
  async deliverEvent(event: Record<string, unknown>, manifest?: SlackManifest): Promise<SocketAck | null> {
    const verdict = eventCallback(event, manifest);
    if (!verdict.sent) {
      this.withheldEvents.push(verdict.reason);
      return null;
    }
    return this.deliver('events_api', verdict.body);
  }

  /** Slack recycles the newest connection: the recycle message, then a close if the app has not closed it. */
  disconnect(reason: DisconnectReason): void {
    const socket = this.#live.at(-1);
    if (!socket) throw new Error('no connection to recycle');
    this.#recycle(socket, reason);
  }

  /** The newest connection ends with no `disconnect` message and no close frame, as when a Slack host or the network goes away. */
  drop(): void {
    const socket = this.#live.at(-1);
    if (!socket) throw new Error('no connection to drop');
    socket.terminate();
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of this.#live) socket.terminate();
    this.#sockets.close();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #accept(socket: WebSocket): void {
    this.connections += 1;
    this.#live.push(socket);
    const pinging = setInterval(() => socket.ping(`Ping from fake-slack (${Date.now()})`), this.#options.pingIntervalMs);
    pinging.unref();
    socket.on('close', () => {
      clearInterval(pinging);
      this.#live.splice(this.#live.indexOf(socket), 1);
      this.emit('closed', socket);
    });
    socket.on('message', (data) => this.#onMessage(String(data)));
    if (this.sayHello) socket.send(JSON.stringify({ ...HELLO, num_connections: this.#live.length, connection_info: { app_id: 'A0001' } }));
    this.emit('connection', socket);
    if (this.#live.length > this.#options.maxConnections) this.#recycle(socket, 'too_many_websockets');
  }

  #recycle(socket: WebSocket, reason: DisconnectReason): void {
    const message = DISCONNECTS[reason];
    this.#recycled.add(socket);
    socket.send(JSON.stringify(reason === 'too_many_websockets' ? { ...message, num_connections: this.#live.length } : message));
    if (this.holdRecycled) {
      this.#tcp.get(socket)?.pause();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (socket.readyState === socket.OPEN) socket.close(1001, 'recycled');
    }, this.#options.closeAfterDisconnectMs);
    timer.unref();
    this.#timers.add(timer);
  }

  #onMessage(text: string): void {
    const ack = JSON.parse(text) as SocketAck;
    const resolve = this.#acks.get(ack.envelope_id);
    if (!resolve) return;
    this.#acks.delete(ack.envelope_id);
    resolve(ack);
  }
}
