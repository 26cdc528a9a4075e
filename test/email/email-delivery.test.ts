import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { deliverDay } from '../../src/delivery/deliver-day.ts';
import type { EmailService } from '../../src/email/email-service.ts';
import { findSubscriberByAddress } from '../../src/email/subscriber-store.ts';
import { deliverDeps, planSettings } from '../../src/run-day.ts';
import { FakeSmtp, type ReceivedEmail } from '../fakes/smtp-server.ts';
import { storeClassified } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { testEmail } from '../helpers/web.ts';

const DAY = '2025-12-18';
const RUN_AT = '2025-12-19T01:30:00.000Z';
const BASE_URL = 'https://papers.example.org';
const MOE_PAPER = 'Expert placement for MoE inference';
const OTHER_PAPER = 'A training paper nobody follows';
const CONFIRMATION_SUBJECT = 'Confirm your lmsys-papers email alerts';

/**
 * The relay's address as the app is configured with it. While down nothing listens there, so a
 * connection is refused (and connections held open are cut, as when a relay restarts); while up,
 * connections go through to the fake SMTP server.
 */
class RelayAddress {
  readonly #target: number;
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #port = 0;

  private constructor(target: number) {
    this.#target = target;
  }

  /** A free loopback port with nothing listening on it yet. */
  static async reserve(target: number): Promise<RelayAddress> {
    const relay = new RelayAddress(target);
    await relay.up();
    await relay.down();
    return relay;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.#target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  }
}

type LedgerRow = { status: string; attempts: number; error: string | null; next_attempt_at: string | null; ref: string | null };

describe('email alerts through the daily delivery', () => {
  const clock = fixedClock(RUN_AT);
  let app: App;
  let smtp: FakeSmtp;
  let relay: RelayAddress;
  let email: EmailService;

  /** The day's delivery as the daily run does it (`runDay` after ingest and classification), with email as the one messenger. */
  const deliver = () => deliverDay(deliverDeps(app, { messengers: [email.messenger] }), planSettings(app), DAY);

  /** The ledger row of the alert for (email, subscriber, day). */
  const ledgerRow = (subscriberId: string) =>
    app.db.get<LedgerRow>(
      "SELECT status, attempts, error, next_attempt_at, ref FROM deliveries WHERE kind = 'alert' AND platform = 'email' AND target = ? AND day = ?",
      [subscriberId, DAY],
    );

  /** Every email the SMTP server accepted other than the opt-in's confirmation. */
  const alertsReceived = (): ReceivedEmail[] => smtp.received.filter((received) => received.subject !== CONFIRMATION_SUBJECT);

  /** Follows tag MoE through the double opt-in, as a person does: the form, then the link in the confirmation email. */
  async function confirmedSubscriber(address: string): Promise<string> {
    expect(await email.requestSubscription({ address, what: 'MoE', clientAddress: '198.51.100.7' })).toEqual({ kind: 'accepted' });
    const confirmation = await smtp.nextEmail();
    expect(confirmation.subject).toBe(CONFIRMATION_SUBJECT);
    const token = /\/email\/confirm\?token=(c\.[A-Za-z0-9_-]{43})/.exec(confirmation.text ?? '')?.[1];
    if (!token) throw new Error(`no confirmation link in:\n${confirmation.text}`);
    expect(await email.confirm(token)).toEqual({ address, following: ['tag MoE'] });
    const subscriber = await findSubscriberByAddress(app.db, address);
    if (!subscriber) throw new Error('not subscribed');
    return subscriber.id;
  }

  beforeEach(async () => {
    clock.set(RUN_AT);
    app = await openTestApp({}, { now: clock.now });
    smtp = await FakeSmtp.start();
    relay = await RelayAddress.reserve(smtp.port);
    await relay.up();
    email = testEmail(app, relay.url)(BASE_URL);
    await storeClassified(app, paperRecord(1, { title: MOE_PAPER }), DAY, { tags: ['MoE', 'serving'] });
    await storeClassified(app, paperRecord(2, { title: OTHER_PAPER }), DAY, { tags: ['training'] });
  });
  afterEach(async () => {
    email.close();
    await relay.down();
    await smtp.close();
    await app.close();
  });

  it('GIVEN a confirmed subscriber and a matching paper WHEN the day is delivered twice THEN exactly one email arrives and the ledger row is sent', async () => {
    const id = await confirmedSubscriber('reader@example.org');

    const first = await deliver();
    const second = await deliver();

    expect(first).toMatchObject({ planned: 1, alreadyClaimed: 0, tally: { alertsSent: 1, retrying: 0, failed: 0 } });
    expect(second).toMatchObject({ planned: 1, alreadyClaimed: 1, tally: { alertsSent: 0, retrying: 0, failed: 0, notStarted: 0 } });
    const alerts = alertsReceived();
    expect(alerts).toHaveLength(1);
    const [alert] = alerts as [ReceivedEmail];
    expect(alert.to).toEqual(['reader@example.org']);
    expect(alert.subject).toBe(`1 new paper on MoE · ${DAY}`);
    expect(alert.text).toContain(`1. ${MOE_PAPER}\n`);
    expect(alert.text).toContain('   Why: MoE\n');
    expect(alert.text).not.toContain(OTHER_PAPER);
    const messageId = `<alert.email.${id}.${DAY}@papers.example.org>`;
    expect(alert.headers.get('message-id')).toBe(messageId);
    expect(await ledgerRow(id)).toEqual({ status: 'sent', attempts: 1, error: null, next_attempt_at: null, ref: messageId });
  });

  it('GIVEN the SMTP relay refusing connections WHEN the day is delivered THEN the alert waits as failed, and goes out once when the relay is back and the retry is due', async () => {
    const id = await confirmedSubscriber('reader@example.org');
    await relay.down();

    const refused = await deliver();

    expect(refused.tally).toMatchObject({ alertsSent: 0, retrying: 1, failed: 0 });
    const failed = await ledgerRow(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, ref: null });
    expect(failed?.error).toMatch(/^(ESOCKET|ECONNECTION)\b.*ECONNREFUSED/);
    // DELIVERY_RETRY_BASE_MS (a minute by default) after the failed try.
    expect(failed?.next_attempt_at).toBe('2025-12-19T01:31:00.000Z');
    expect(alertsReceived()).toEqual([]);

    await relay.up();
    const tooSoon = await deliver();
    expect(tooSoon.tally).toMatchObject({ alertsSent: 0, retrying: 0 });
    expect(alertsReceived()).toEqual([]);

    clock.set('2025-12-19T01:31:00.000Z');
    const retried = await deliver();
    const again = await deliver();

    expect(retried.tally).toMatchObject({ alertsSent: 1, retrying: 0, failed: 0 });
    expect(again.tally).toMatchObject({ alertsSent: 0, retrying: 0, failed: 0 });
    const alerts = alertsReceived();
    expect(alerts.map((alert) => [alert.to, alert.subject])).toEqual([[['reader@example.org'], `1 new paper on MoE · ${DAY}`]]);
    expect(alerts[0]?.text).toContain(`1. ${MOE_PAPER}\n`);
    expect(alerts[0]?.text).toContain('   Why: MoE\n');
    expect(await ledgerRow(id)).toEqual({
      status: 'sent',
      attempts: 2,
      error: null,
      next_attempt_at: null,
      ref: `<alert.email.${id}.${DAY}@papers.example.org>`,
    });
  });

  it('GIVEN the relay refusing the recipient for good (550) THEN the row is permanent and a later run does not try again', async () => {
    const id = await confirmedSubscriber('gone@example.org');
    smtp.rejectRecipients = /^gone@/;

    const rejected = await deliver();

    expect(rejected.tally).toMatchObject({ alertsSent: 0, retrying: 0, failed: 1 });
    const row = await ledgerRow(id);
    expect(row).toMatchObject({ status: 'permanent', attempts: 1, next_attempt_at: null, ref: null });
    expect(row?.error).toMatch(/^EENVELOPE 550\b/);

    // Were it tried again, the relay would now take it.
    smtp.rejectRecipients = null;
    clock.set('2025-12-20T01:30:00.000Z');
    const later = await deliver();

    expect(later).toMatchObject({ alreadyClaimed: 1, tally: { alertsSent: 0, retrying: 0, failed: 0 } });
    expect(alertsReceived()).toEqual([]);
    expect(await ledgerRow(id)).toEqual(row);
  });
});
