import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type ParsedEmail, parseEmail } from '../helpers/mime.ts';

export type ReceivedEmail = ParsedEmail & { readonly from: string; readonly to: readonly string[]; readonly raw: string };

/**
 * A real SMTP peer on 127.0.0.1 (the smtp-server package): nodemailer talks to it as to any relay.
 * Every accepted message is kept and announced; `down` makes it refuse connections and messages
 * with 421 (a relay under maintenance), `rejectRecipients` answers 550 for matching recipients,
 * `dataDelayMs` holds each message that long before its 250 (a slow relay: sends stay in flight).
 */
export class FakeSmtp {
  readonly received: ReceivedEmail[] = [];
  down = false;
  rejectRecipients: RegExp | null = null;
  dataDelayMs = 0;
  /** Messages whose DATA began (accepted or not yet). */
  dataStarted = 0;
  /** Messages received whole (the final dot), whether or not the 250 has gone back yet. */
  dataEnded = 0;
  readonly #events = new EventEmitter();
  readonly #waiters: (() => void)[] = [];
  #taken = 0;
  readonly #server: SMTPServer;

  private constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      // smtp-server looks up every client's name in DNS otherwise: traffic beyond loopback, and slow.
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => {
        if (!this.down) return callback();
        callback(Object.assign(new Error('Service not available, try later'), { responseCode: 421 }));
      },
      // Connections opened before it went down (nodemailer pools them) fail at the next message.
      onMailFrom: (_address, _session, callback) => {
        if (!this.down) return callback();
        callback(Object.assign(new Error('Service not available, try later'), { responseCode: 421 }));
      },
      onRcptTo: (address, _session, callback) => {
        if (this.rejectRecipients?.test(address.address)) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        this.dataStarted++;
        this.#events.emit('data');
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.dataEnded++;
          this.#events.emit('data-end');
          const accept = () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            const email: ReceivedEmail = { ...parseEmail(raw), raw, from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) };
            this.received.push(email);
            callback();
            for (const waiter of this.#waiters.splice(0)) waiter();
          };
          if (this.dataDelayMs > 0) setTimeout(accept, this.dataDelayMs);
          else accept();
        });
      },
    });
  }

  static async start(): Promise<FakeSmtp> {
    const fake = new FakeSmtp();
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server.server, 'listening');
    return fake;
  }

  get port(): number {
    return (this.#server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The next message not yet taken by this method, waiting for it if it has not arrived. */
  nextEmail(): Promise<ReceivedEmail> {
    const index = this.#taken++;
    const already = this.received[index];
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => {
      const wait = () => {
        const email = this.received[index];
        if (email) resolve(email);
        else this.#waiters.push(wait);
      };
      this.#waiters.push(wait);
    });
  }

  /** Resolves once `count` messages have begun their DATA (past or future). */
  async dataBegun(count: number): Promise<void> {
    while (this.dataStarted < count) await once(this.#events, 'data');
  }

  /**
   * Resolves once `count` messages have been received whole. With `dataDelayMs` the relay then holds
   * its 250: a client killed now has had its message taken without knowing it (RFC 1047's window).
   */
  async dataComplete(count: number): Promise<void> {
    while (this.dataEnded < count) await once(this.#events, 'data-end');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
