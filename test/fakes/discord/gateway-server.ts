import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeUser } from './snowflakes.ts';

const OP = { dispatch: 0, heartbeat: 1, identify: 2, resume: 6, invalidSession: 9, hello: 10, heartbeatAck: 11 } as const;

type Frame = { op: number; d: unknown; s?: number | null; t?: string | null };
type Dispatch = { readonly t: string; readonly d: unknown; readonly s: number };

export type GatewayOptions = {
  readonly bot: FakeUser;
  readonly applicationId: string;
  /** Full guild objects, sent as GUILD_CREATE after READY (READY lists them unavailable, as Discord does). */
  readonly guilds: readonly Record<string, unknown>[];
  readonly heartbeatIntervalMs: number;
};

/**
 * The Discord gateway (v10, JSON, no compression): HELLO, IDENTIFY → READY + GUILD_CREATE,
 * heartbeats acknowledged, RESUME → missed dispatches replayed then RESUMED. Dispatches sent while
 * no client is connected wait for the resume, as Discord's do. Emits `identify`, `resume`,
 * `heartbeat` and `close` (with the client's close code) so tests wait on events, not time.
 */
export class FakeDiscordGateway extends EventEmitter {
  readonly identifies: Record<string, unknown>[] = [];
  readonly #server: WebSocketServer;
  readonly #options: GatewayOptions;
  readonly #sent: Dispatch[] = [];
  #socket: WebSocket | null = null;
  #sessionId = '';
  #sequence = 0;
  #sessions = 0;

  private constructor(server: WebSocketServer, options: GatewayOptions) {
    super();
    this.#server = server;
    this.#options = options;
    server.on('connection', (socket, request) => this.#connect(socket, request.url ?? ''));
  }

  static async start(options: GatewayOptions): Promise<FakeDiscordGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new FakeDiscordGateway(server, options);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get connected(): boolean {
    return this.#socket !== null;
  }

  /** Sends an event now, or on the client's resume when it is disconnected. */
  dispatch(t: string, d: unknown): void {
    const event = { t, d, s: ++this.#sequence };
    this.#sent.push(event);
    this.#socket?.send(JSON.stringify({ op: OP.dispatch, ...event }));
  }

  /** Drops the connection with `code` (4000 Unknown error is resumable) and keeps the session for a RESUME. */
  disconnect(code: number): void {
    this.#socket?.close(code, 'fake gateway disconnect');
    this.#socket = null;
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #connect(socket: WebSocket, url: string): void {
    const query = new URL(url, 'ws://fake').searchParams;
    if (query.get('v') !== '10' || query.get('encoding') !== 'json') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    this.#socket?.terminate();
    this.#socket = socket;
    socket.on('message', (data) => this.#receive(socket, JSON.parse(String(data)) as Frame));
    socket.on('close', (code) => {
      if (this.#socket === socket) this.#socket = null;
      this.emit('close', code);
    });
    this.#send(socket, { op: OP.hello, d: { heartbeat_interval: this.#options.heartbeatIntervalMs, _trace: ['fake-gateway'] } });
  }

  #receive(socket: WebSocket, frame: Frame): void {
    if (frame.op === OP.heartbeat) {
      this.#send(socket, { op: OP.heartbeatAck, d: null });
      this.emit('heartbeat', frame.d);
    } else if (frame.op === OP.identify) {
      this.identifies.push(frame.d as Record<string, unknown>);
      this.#ready(socket);
      this.emit('identify', frame.d);
    } else if (frame.op === OP.resume) {
      this.#resume(socket, frame.d as { session_id: string; seq: number });
      this.emit('resume', frame.d);
    }
  }

  #ready(socket: WebSocket): void {
    const { bot, applicationId, guilds } = this.#options;
    this.#sessionId = `fake-session-${++this.#sessions}`;
    this.#sent.length = 0;
    this.#sequence = 0;
    const ready = {
      v: 10,
      user: { id: bot.id, username: bot.username, discriminator: '0', avatar: null, bot: true, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: this.#sessionId,
      resume_gateway_url: this.url,
      shard: [0, 1],
      application: { id: applicationId, flags: 0 },
    };
    this.#dispatchTo(socket, 'READY', ready);
    for (const guild of guilds) this.#dispatchTo(socket, 'GUILD_CREATE', guild);
  }

  #resume(socket: WebSocket, resume: { session_id: string; seq: number }): void {
    if (resume.session_id !== this.#sessionId) {
      this.#send(socket, { op: OP.invalidSession, d: false });
      return;
    }
    for (const event of this.#sent.filter((sent) => sent.s > resume.seq)) this.#send(socket, { op: OP.dispatch, ...event });
    this.#dispatchTo(socket, 'RESUMED', null);
  }

  #dispatchTo(socket: WebSocket, t: string, d: unknown): void {
    const event = { t, d, s: ++this.#sequence };
    this.#sent.push(event);
    this.#send(socket, { op: OP.dispatch, ...event });
  }

  #send(socket: WebSocket, frame: Frame): void {
    socket.send(JSON.stringify(frame));
  }
}
