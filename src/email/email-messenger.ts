import type { AlertMessage, DeliveryProgress, Messenger, SendResult } from '../domain/delivery.ts';
import { absolute, paths } from '../rendering/paths.ts';
import type { Database } from '../store/db.ts';
import { deliveryKey } from '../store/ledger.ts';
import { listSubscriptions } from '../store/subscriptions.ts';
import type { Mailer } from './mailer.ts';
import { messageIdFor } from './message-id.ts';
import { emailSubscriber, findSubscriberById } from './subscriber-store.ts';
import { renderAlertEmail } from './templates/alert-email.ts';
import { signUnsubscribe } from './tokens.ts';

/** How long the unsubscribe link of an email keeps working; every newer email carries a fresh one. */
export const UNSUBSCRIBE_LINK_DAYS = 90;

/**
 * `limits`: the pace the delivery job's fan-out should keep with this messenger (sends per second,
 * sends in flight) — polite to an ordinary SMTP relay and within the mailer's two pooled connections.
 */
export type EmailMessenger = Messenger & { readonly limits: { readonly perSecond: number; readonly concurrency: number } };

export type EmailMessengerDeps = {
  readonly db: Database;
  readonly mailer: Mailer;
  readonly baseUrl: string;
  readonly now: () => Date;
  /** Signs a subscriber's vote link for a paper (vote-links.ts); without it alerts carry none. */
  readonly voteLink?: (subscriberId: string, key: string, paperId: string, choice: 'relevant' | 'not-relevant') => string;
};

/**
 * Email as a delivery platform: the daily job hands it one subscriber's alert for one announcement
 * day (through the shared exactly-once ledger) and it sends one email, HTML and plain text, with
 * List-Unsubscribe headers. Email cannot reconcile (no `findDelivered`: SMTP cannot look a sent
 * message up), so an alert in flight at a crash is sent again; its Message-ID comes from the
 * delivery's ledger key (see messageIdFor), the same for every send. Email has no channels: digests
 * go to chat platforms only.
 */
export function createEmailMessenger(deps: EmailMessengerDeps): EmailMessenger {
  const host = new URL(deps.baseUrl).hostname || 'localhost';
  return {
    platform: 'email',
    limits: { perSecond: 5, concurrency: 2 },
    async postDigest(): Promise<SendResult> {
      return { ok: false, permanent: true, reason: 'email has no channels; digests go to Slack and Discord' };
    },
    async sendAlert(subscriberId: string, alert: AlertMessage, progress?: DeliveryProgress): Promise<SendResult> {
      const subscriber = await findSubscriberById(deps.db, subscriberId);
      if (!subscriber) return { ok: false, permanent: true, reason: 'unsubscribed' };
      if (alert.papers.length === 0) return { ok: true };
      const now = deps.now();
      const token = signUnsubscribe({ subscriberId, expiresAt: new Date(now.getTime() + UNSUBSCRIBE_LINK_DAYS * 86_400_000) }, subscriber.unsubscribeKey);
      const unsubscribeUrl = absolute(deps.baseUrl, paths.unsubscribe(token));
      const following = await listSubscriptions(deps.db, emailSubscriber(subscriberId));
      const sign = deps.voteLink;
      const voteUrls = sign
        ? (paperId: string) => ({
            relevant: absolute(deps.baseUrl, paths.vote(sign(subscriberId, subscriber.unsubscribeKey, paperId, 'relevant'))),
            notRelevant: absolute(deps.baseUrl, paths.vote(sign(subscriberId, subscriber.unsubscribeKey, paperId, 'not-relevant'))),
          })
        : undefined;
      const email = renderAlertEmail({ alert, following, baseUrl: deps.baseUrl, unsubscribeUrl, ...(voteUrls ? { voteUrls } : {}) });
      const key = progress?.key ?? deliveryKey({ kind: 'alert', platform: 'email', target: subscriberId, day: alert.day });
      return deps.mailer.send({ to: subscriber.address, ...email, unsubscribeUrl, messageId: messageIdFor(key, host) });
    },
  };
}
