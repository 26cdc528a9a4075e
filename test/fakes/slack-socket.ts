import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** What the bot sent back for an envelope: Socket Mode's ack. */
export type SocketAck = { readonly envelope_id: string; readonly payload?: Record<string, unknown> };

/**
 * A local Socket Mode endpoint. The Web API fake hands out `url` from apps.connections.open; on
 * connect it sends `hello` as Slack does, then `deliver` pushes an envelope and resolves with the
 * bot's ack for it.
 */
export class FakeSlackSocket {
  readonly #server = createServer((_request, response) => response.writeHead(426).end());
  readonly #sockets = new WebSocketServer({ server: this.#server });
  readonly #acks = new Map<string, (ack: SocketAck) => void>();
  readonly #connections: WebSocket[] = [];
  #connected: Promise<WebSocket>;
  #url = '';
  #envelope = 0;

  private constructor() {
    this.#connected = this.#nextConnection();
  }

  static async start(): Promise<FakeSlackSocket> {
    const fake = new FakeSlackSocket();
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server, 'listening');
    fake.#url = `ws://127.0.0.1:${(fake.#server.address() as AddressInfo).port}/link/?ticket=fake-ticket`;
    return fake;
  }

  get url(): string {
    return this.#url;
  }

  /** The open connection (waits for the bot to connect). */
  connection(): Promise<WebSocket> {
    return this.#connected;
  }

  /** Sends `{ envelope_id, type, payload }` and resolves with the bot's ack of that envelope. */
  async deliver(type: string, payload: Record<string, unknown>): Promise<SocketAck> {
    const socket = await this.#connected;
    this.#envelope += 1;
    const envelopeId = `envelope-${this.#envelope}`;
    const acked = new Promise<SocketAck>((resolve) => this.#acks.set(envelopeId, resolve));
    socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
    return acked;
  }

  async close(): Promise<void> {
    for (const socket of this.#connections) socket.terminate();
    this.#sockets.close();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #nextConnection(): Promise<WebSocket> {
    return new Promise((resolve) => {
      this.#sockets.once('connection', (socket) => {
        this.#connections.push(socket);
        socket.on('message', (data) => this.#onMessage(String(data)));
        socket.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'fake-slack', approximate_connection_time: 3600 },
            connection_info: { app_id: 'A0001' },
          }),
        );
        resolve(socket);
      });
    });
  }

  #onMessage(text: string): void {
    const ack = JSON.parse(text) as SocketAck;
    const resolve = this.#acks.get(ack.envelope_id);
    if (!resolve) return;
    this.#acks.delete(ack.envelope_id);
    resolve(ack);
  }
}
