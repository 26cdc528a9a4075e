import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeUser } from './snowflakes.ts';

const OP = { dispatch: 0, heartbeat: 1, identify: 2, resume: 6, reconnect: 7, invalidSession: 9, hello: 10, heartbeatAck: 11 } as const;
/** Close codes (docs opcodes-and-status-codes.mdx, "Gateway Close Event Codes"). */
export const CLOSE = {
  decodeError: 4002,
  notAuthenticated: 4003,
  authenticationFailed: 4004,
  alreadyAuthenticated: 4005,
  invalidSeq: 4007,
  sessionTimedOut: 4009,
  invalidApiVersion: 4012,
  invalidIntents: 4013,
  disallowedIntents: 4014,
} as const;
/** Intent bits Discord knows (0–25 as of API v10), and the privileged ones an app must be granted. */
const KNOWN_INTENTS = (1 << 26) - 1;
export const PRIVILEGED_INTENTS = { guildMembers: 1 << 1, guildPresences: 1 << 8, messageContent: 1 << 15 } as const;
/** The intents that bring reaction events (docs gateway.mdx, "List of Intents"); neither is privileged. */
export const REACTION_INTENTS = { guild: 1 << 10, direct: 1 << 13 } as const;

type Frame = { op: number; d: unknown; s?: number | null; t?: string | null };
type Address = 'gateway' | 'resume';
/** One address of the gateway: an HTTP server whose upgrades the WebSocket server takes, unless told to stop answering. */
type Endpoint = { readonly http: Server; readonly ws: WebSocketServer; answering: boolean; readonly held: Set<Socket> };
type Dispatch = { readonly t: string; readonly d: unknown; readonly s: number };
type Session = { readonly id: string; sequence: number; readonly sent: Dispatch[]; socket: WebSocket | null; readonly intents: number };

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/discord/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

export type GatewayOptions = {
  readonly bot: FakeUser;
  readonly token: string;
  readonly applicationId: string;
  /** Full guild objects, sent as GUILD_CREATE after READY (READY lists them unavailable, as Discord does). */
  readonly guilds: readonly Record<string, unknown>[];
  readonly heartbeatIntervalMs: number;
  /** Privileged intents the application was granted in the Developer Portal (none by default). */
  readonly grantedIntents?: number;
};

/**
 * The Discord gateway (v10, JSON, no compression) as a bot meets it. HELLO on connect; IDENTIFY
 * checked (a wrong token closes 4004, unknown intent bits 4013, privileged ones not granted 4014, a
 * second IDENTIFY 4005, anything before it 4003) → READY + GUILD_CREATE. READY's
 * `resume_gateway_url` is a second server on another port: RESUME is taken only there, and only
 * for the live session at a sequence it has sent (else INVALID SESSION, or 4007 for a sequence from
 * the future), replaying what was missed, then RESUMED. A session ends when the client closes with
 * 1000/1001 or the server closes with 4007/4009. `reconnect()` sends op 7, `invalidateSession()`
 * op 9, `stopAnswering()` makes an address take connections and never answer them. Dispatches sent while the client is away wait for its resume, as Discord's do. Emits
 * `identify`, `resume`, `heartbeat`, `invalid-session`, `held` (a connection not answered) and `close` (with the client's close code),
 * so tests wait on events, not time.
 */
export class FakeDiscordGateway extends EventEmitter {
  readonly identifies: Record<string, unknown>[] = [];
  /** Events Discord would not have sent this session (its intents do not ask for them), with why. */
  readonly withheld: string[] = [];
  /** Every connection's URL path and query, in order, with the server that took it. */
  readonly connections: { readonly server: Address; readonly url: string }[] = [];
  readonly #endpoints: Record<Address, Endpoint>;
  readonly #options: GatewayOptions;
  readonly #identified = new WeakSet<WebSocket>();
  #session: Session | null = null;
  #sessions = 0;

  private constructor(endpoints: Record<Address, Endpoint>, options: GatewayOptions) {
    super();
    this.#endpoints = endpoints;
    this.#options = options;
    for (const address of ['gateway', 'resume'] as const) {
      const endpoint = endpoints[address];
      endpoint.ws.on('connection', (socket, request) => this.#connect(socket, request.url ?? '', address));
      endpoint.http.on('upgrade', (request, socket: Socket, head) => {
        if (!endpoint.answering) {
          // Took the TCP connection, never answers the upgrade: the client waits for its handshake timeout.
          endpoint.held.add(socket);
          this.emit('held', address);
          return;
        }
        endpoint.ws.handleUpgrade(request, socket, head, (client) => endpoint.ws.emit('connection', client, request));
      });
    }
  }

  static async start(options: GatewayOptions): Promise<FakeDiscordGateway> {
    const endpoint = async (): Promise<Endpoint> => {
      const http = createServer((_request, response) => response.writeHead(404).end());
      http.listen(0, '127.0.0.1');
      await once(http, 'listening');
      return { http, ws: new WebSocketServer({ noServer: true }), answering: true, held: new Set() };
    };
    return new FakeDiscordGateway({ gateway: await endpoint(), resume: await endpoint() }, options);
  }

  /** From now on `address` takes TCP connections and never answers them (a gateway gone quiet). */
  stopAnswering(address: Address): void {
    this.#endpoints[address].answering = false;
  }

  /** What GET /gateway/bot answers. */
  get url(): string {
    return `ws://127.0.0.1:${(this.#endpoints.gateway.http.address() as AddressInfo).port}`;
  }

  /** READY's `resume_gateway_url`: another address, as Discord's is another host. */
  get resumeUrl(): string {
    return `ws://127.0.0.1:${(this.#endpoints.resume.http.address() as AddressInfo).port}`;
  }

  get connected(): boolean {
    return Boolean(this.#session?.socket);
  }

  get sessionId(): string | null {
    return this.#session?.id ?? null;
  }

  /** Sends an event now, or on the client's resume when it is away; lost if the session ends first. */
  dispatch(t: string, d: unknown): void {
    const session = this.#session;
    if (!session) return;
    const event = { t, d, s: ++session.sequence };
    session.sent.push(event);
    session.socket?.send(JSON.stringify({ op: OP.dispatch, ...event }));
  }

  /**
   * A reaction event (MESSAGE_REACTION_ADD / _REMOVE), sent as Discord sends it: only to a session
   * that identified with GUILD_MESSAGE_REACTIONS (a server's channel, `guild_id` set) or
   * DIRECT_MESSAGE_REACTIONS (a DM). Otherwise nothing is sent and the reason is kept in `withheld`.
   */
  dispatchReaction(t: 'MESSAGE_REACTION_ADD' | 'MESSAGE_REACTION_REMOVE', d: Record<string, unknown>): boolean {
    const needed = d.guild_id ? REACTION_INTENTS.guild : REACTION_INTENTS.direct;
    if (!this.#session || (this.#session.intents & needed) === 0) {
      this.withheld.push(`${t} needs intent ${needed}`);
      return false;
    }
    this.dispatch(t, d);
    return true;
  }

  /** Closes the connection with `code`: 4000 keeps the session for a RESUME; 4007 and 4009 end it. */
  disconnect(code: number): void {
    const session = this.#session;
    const socket = session?.socket;
    if (!session || !socket) return;
    session.socket = null;
    if (code === CLOSE.invalidSeq || code === CLOSE.sessionTimedOut) this.#session = null;
    socket.close(code, 'fake gateway disconnect');
  }

  /** Op 7 RECONNECT: the client should close and resume on `resume_gateway_url`. */
  reconnect(): void {
    this.#session?.socket?.send(JSON.stringify(fixture('gateway-reconnect')));
  }

  /** Op 9 INVALID SESSION; not resumable ends the session (the client must IDENTIFY again). */
  invalidateSession(resumable: boolean): void {
    const socket = this.#session?.socket;
    if (!socket) return;
    if (!resumable) this.#session = null;
    socket.send(JSON.stringify({ ...fixture('gateway-invalid-session'), d: resumable }));
  }

  async close(): Promise<void> {
    await Promise.all(
      Object.values(this.#endpoints).map(async ({ http, ws, held }) => {
        for (const client of ws.clients) client.terminate();
        for (const socket of held) socket.destroy();
        ws.close();
        http.closeAllConnections();
        http.close();
        await once(http, 'close');
      }),
    );
  }

  #connect(socket: WebSocket, url: string, server: Address): void {
    this.connections.push({ server, url });
    const query = new URL(url, 'ws://fake').searchParams;
    if (query.get('v') !== '10' || query.get('encoding') !== 'json') {
      socket.close(CLOSE.invalidApiVersion, 'Invalid API version');
      return;
    }
    socket.on('message', (data) => this.#receive(socket, String(data), server));
    socket.on('close', (code) => {
      const session = this.#session;
      if (session?.socket === socket) {
        session.socket = null;
        // docs gateway.mdx: closing with 1000 or 1001 invalidates the session.
        if (code === 1000 || code === 1001) this.#session = null;
      }
      this.emit('close', code);
    });
    const hello = fixture('gateway-hello');
    this.#send(socket, { ...hello, d: { ...(hello.d as object), heartbeat_interval: this.#options.heartbeatIntervalMs } } as Frame);
  }

  #receive(socket: WebSocket, data: string, server: Address): void {
    let frame: Frame;
    try {
      frame = JSON.parse(data) as Frame;
    } catch {
      socket.close(CLOSE.decodeError, 'Error while decoding payload.');
      return;
    }
    if (frame.op === OP.heartbeat) {
      this.#send(socket, { op: OP.heartbeatAck, d: null });
      this.emit('heartbeat', frame.d);
    } else if (frame.op === OP.identify) this.#identify(socket, frame.d as Record<string, unknown>);
    else if (frame.op === OP.resume) this.#resumeSession(socket, frame.d as { token: string; session_id: string; seq: number }, server);
    else if (!this.#identified.has(socket)) socket.close(CLOSE.notAuthenticated, 'Not authenticated.');
  }

  #identify(socket: WebSocket, identify: Record<string, unknown>): void {
    this.identifies.push(identify);
    this.emit('identify', identify);
    if (this.#identified.has(socket)) return void socket.close(CLOSE.alreadyAuthenticated, 'Already authenticated.');
    if (identify.token !== this.#options.token) return void socket.close(CLOSE.authenticationFailed, 'Authentication failed.');
    const intents = identify.intents;
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      return void socket.close(CLOSE.invalidIntents, 'Invalid intent(s).');
    }
    const privileged = Object.values(PRIVILEGED_INTENTS).reduce((bits, bit) => bits | bit, 0);
    if ((intents & privileged & ~(this.#options.grantedIntents ?? 0)) !== 0) return void socket.close(CLOSE.disallowedIntents, 'Disallowed intent(s).');
    this.#session?.socket?.terminate();
    this.#identified.add(socket);
    this.#session = { id: `fake-session-${++this.#sessions}`, sequence: 0, sent: [], socket, intents };
    this.#dispatchTo(this.#session, 'READY', this.#ready(this.#session.id));
    for (const guild of this.#options.guilds) this.#dispatchTo(this.#session, 'GUILD_CREATE', guild);
  }

  #ready(sessionId: string): Record<string, unknown> {
    const { bot, applicationId, guilds } = this.#options;
    const recorded = fixture('gateway-ready').d as Record<string, unknown>;
    return {
      ...recorded,
      user: { ...(recorded.user as object), id: bot.id, username: bot.username, discriminator: '0', email: null },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: this.resumeUrl,
      shard: [0, 1],
      application: { id: applicationId, flags: 0 },
    };
  }

  #resumeSession(socket: WebSocket, resume: { token: string; session_id: string; seq: number }, server: Address): void {
    this.emit('resume', resume);
    if (resume.token !== this.#options.token) return void socket.close(CLOSE.authenticationFailed, 'Authentication failed.');
    const session = this.#session;
    if (server !== 'resume' || !session || resume.session_id !== session.id) {
      this.emit('invalid-session', resume);
      this.#send(socket, { ...fixture('gateway-invalid-session'), d: false } as Frame);
      return;
    }
    if (typeof resume.seq !== 'number' || resume.seq > session.sequence) {
      this.#session = null;
      return void socket.close(CLOSE.invalidSeq, 'Invalid seq.');
    }
    session.socket?.terminate();
    session.socket = socket;
    this.#identified.add(socket);
    for (const event of session.sent.filter((sent) => sent.s > resume.seq)) this.#send(socket, { op: OP.dispatch, ...event });
    this.#dispatchTo(session, 'RESUMED', null);
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    const event = { t, d, s: ++session.sequence };
    session.sent.push(event);
    if (session.socket) this.#send(session.socket, { op: OP.dispatch, ...event });
  }

  #send(socket: WebSocket, frame: Frame): void {
    socket.send(JSON.stringify(frame));
  }
}
