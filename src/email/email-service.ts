import { UserError } from '../domain/errors.ts';
import {
  describeSubscription,
  MAX_SUBSCRIPTIONS_PER_USER,
  parseSubscriptionTargets,
  type Subscription,
  type SubscriptionTarget,
} from '../domain/subscription.ts';
import type { TagVocabulary } from '../domain/tags.ts';
import type { Logger } from '../log.ts';
import { absolute, paths } from '../rendering/paths.ts';
import type { Database } from '../store/db.ts';
import { addSubscription, listSubscriptions } from '../store/subscriptions.ts';
import { normalizeAddress } from './address.ts';
import { createEmailMessenger, type EmailMessenger } from './email-messenger.ts';
import type { Mailer } from './mailer.ts';
import { clientNetwork, DAY_MS, HOUR_MS, purgeRateLimits, type RateLimit, takeRateLimit } from './rate-limit.ts';
import {
  deleteRequest,
  deleteRequestsFor,
  deleteSubscriber,
  emailSubscriber,
  findRequest,
  findSubscriberByAddress,
  findSubscriberById,
  insertRequest,
  insertSubscriber,
  purgeExpiredRequests,
} from './subscriber-store.ts';
import { renderConfirmationEmail } from './templates/confirmation-email.ts';
import { hashToken, isConfirmationToken, newConfirmationToken, randomId, readUnsubscribe, verifyUnsubscribe } from './tokens.ts';
import { createVoteLinks, type VoteLinks } from './vote-links.ts';

export const CONFIRMATION_HOURS = 48;

export type EmailServiceDeps = {
  readonly db: Database;
  readonly mailer: Mailer;
  readonly vocabulary: TagVocabulary;
  readonly baseUrl: string;
  readonly now: () => Date;
  readonly log: Logger;
  /** Subscribe forms per client network per hour, confirmation emails per address per day. */
  readonly limits: { readonly perClient: number; readonly perAddress: number };
  /** Tags for a paper the group's votes bring into the archive (the offline filter's tagger). */
  readonly tagsFor: (title: string, abstract?: string) => string[];
};

export type SubscribeRequest = { readonly address: string; readonly what: string; readonly clientAddress: string };

/**
 * `accepted` whatever the address's state (new, pending, subscribed, or over its daily limit), so
 * the form tells nobody whether an address is subscribed; `too-many` is about the client, not the
 * address; `unavailable` when the confirmation email could not be sent (nothing was kept).
 */
export type SubscribeOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'invalid'; readonly field: 'address' | 'what'; readonly message: string }
  | { readonly kind: 'too-many' }
  | { readonly kind: 'unavailable' };

/** What a token in an emailed link stands for, shown before the person presses the button. */
export type TokenView = { readonly address: string; readonly following: readonly string[] };

export type EmailService = {
  readonly messenger: EmailMessenger;
  /** The "relevant" / "not relevant" links in alert emails. */
  readonly votes: VoteLinks;
  requestSubscription(request: SubscribeRequest): Promise<SubscribeOutcome>;
  /** The pending request behind a confirmation link; null when it expired or was used. */
  viewConfirmation(token: string): Promise<TokenView | null>;
  /** Makes the request's subscriptions real; null when the link expired or was used. */
  confirm(token: string): Promise<TokenView | null>;
  /** Whom an unsubscribe link is for; null when it is not a valid, current link. */
  viewUnsubscribe(token: string): Promise<TokenView | null>;
  /** Forgets the address and what it followed; false when the link is not valid. Repeating it is harmless. */
  unsubscribe(token: string): Promise<boolean>;
  close(): void;
};

export function createEmailService(deps: EmailServiceDeps): EmailService {
  const perClient: RateLimit = { scope: 'subscribe-client', limit: deps.limits.perClient, windowMs: HOUR_MS };
  const perAddress: RateLimit = { scope: 'subscribe-address', limit: deps.limits.perAddress, windowMs: DAY_MS };
  const log = deps.log.child({ module: 'email' });

  /** The address an unsubscribe-type token speaks for: a subscriber's signed link, or a confirmation email's cancel link. */
  async function unsubscribeTarget(token: string): Promise<{ address: string | null; subscriberId: string | null } | null> {
    const now = deps.now();
    if (isConfirmationToken(token)) {
      const request = await findRequest(deps.db, hashToken(token), now.toISOString());
      if (!request) return null;
      const subscriber = await findSubscriberByAddress(deps.db, request.address);
      return { address: request.address, subscriberId: subscriber?.id ?? null };
    }
    const claim = readUnsubscribe(token);
    if (!claim) return null;
    const subscriber = await findSubscriberById(deps.db, claim.subscriberId);
    // Already unsubscribed: the key is gone, so the signature cannot be checked; say it is done.
    if (!subscriber) return claim.expiresAt > now ? { address: null, subscriberId: null } : null;
    return verifyUnsubscribe(claim, subscriber.unsubscribeKey, now) ? { address: subscriber.address, subscriberId: subscriber.id } : null;
  }

  async function following(subscriberId: string | null): Promise<string[]> {
    if (!subscriberId) return [];
    return (await listSubscriptions(deps.db, emailSubscriber(subscriberId))).map(describe);
  }

  const votes = createVoteLinks(deps);
  return {
    messenger: createEmailMessenger({ ...deps, voteLink: votes.sign }),
    votes,

    async requestSubscription(request) {
      const address = normalizeAddress(request.address);
      if (!address) return { kind: 'invalid', field: 'address', message: 'That does not look like an email address (name@example.org).' };
      let targets: SubscriptionTarget[];
      try {
        targets = parseSubscriptionTargets(request.what, deps.vocabulary);
      } catch (error) {
        if (error instanceof UserError) return { kind: 'invalid', field: 'what', message: error.message };
        throw error;
      }
      if (targets.length === 0) {
        return {
          kind: 'invalid',
          field: 'what',
          message: 'What should we follow? For example `MoE`, `speculative decoding`, `"kv cache"` or `author:Song Han`.',
        };
      }
      const now = deps.now();
      await purgeExpiredRequests(deps.db, now.toISOString());
      await purgeRateLimits(deps.db, now);
      if (!(await takeRateLimit(deps.db, perClient, clientNetwork(request.clientAddress), now))) return { kind: 'too-many' };
      // Over the address's limit: answer as if sent, so the form reveals nothing about the address.
      if (!(await takeRateLimit(deps.db, perAddress, address, now))) return { kind: 'accepted' };
      const token = newConfirmationToken();
      const expiresAt = new Date(now.getTime() + CONFIRMATION_HOURS * HOUR_MS).toISOString();
      await insertRequest(deps.db, hashToken(token), { address, targets, expiresAt }, now.toISOString());
      const links = { confirmUrl: absolute(deps.baseUrl, paths.confirm(token)), unsubscribeUrl: absolute(deps.baseUrl, paths.unsubscribe(token)) };
      const email = renderConfirmationEmail({ targets, ...links, validHours: CONFIRMATION_HOURS });
      const sent = await deps.mailer.send({ to: address, ...email, unsubscribeUrl: links.unsubscribeUrl });
      if (sent.ok) return { kind: 'accepted' };
      await deleteRequest(deps.db, hashToken(token));
      log.warn({ reason: sent.reason }, 'confirmation email not sent');
      return { kind: 'unavailable' };
    },

    async viewConfirmation(token) {
      if (!isConfirmationToken(token)) return null;
      const request = await findRequest(deps.db, hashToken(token), deps.now().toISOString());
      return request ? { address: request.address, following: request.targets.map(describe) } : null;
    },

    async confirm(token) {
      if (!isConfirmationToken(token)) return null;
      const tokenHash = hashToken(token);
      const now = deps.now().toISOString();
      const subscriberId = await deps.db.transaction(async (tx) => {
        const request = await findRequest(tx, tokenHash, now);
        if (!request) return null;
        let subscriber = await findSubscriberByAddress(tx, request.address);
        if (!subscriber) {
          subscriber = { id: randomId(), address: request.address, unsubscribeKey: randomId(32), confirmedAt: now };
          await insertSubscriber(tx, subscriber);
        }
        const existing = await listSubscriptions(tx, emailSubscriber(subscriber.id));
        const known = new Set(existing.map((item) => `${item.kind}:${item.key}`));
        const room = MAX_SUBSCRIPTIONS_PER_USER - existing.length;
        for (const target of request.targets.filter((item) => !known.has(`${item.kind}:${item.key}`)).slice(0, Math.max(0, room))) {
          await addSubscription(tx, emailSubscriber(subscriber.id), target, now);
        }
        await deleteRequest(tx, tokenHash);
        return subscriber.id;
      });
      if (!subscriberId) return null;
      const subscriber = await findSubscriberById(deps.db, subscriberId);
      return { address: subscriber?.address ?? '', following: await following(subscriberId) };
    },

    async viewUnsubscribe(token) {
      const target = await unsubscribeTarget(token);
      if (!target) return null;
      return { address: target.address ?? '', following: await following(target.subscriberId) };
    },

    async unsubscribe(token) {
      const target = await unsubscribeTarget(token);
      if (!target) return false;
      await deps.db.transaction(async (tx) => {
        if (target.subscriberId) await deleteSubscriber(tx, target.subscriberId);
        if (target.address) await deleteRequestsFor(tx, target.address);
      });
      if (target.subscriberId) log.info({ subscriberId: target.subscriberId }, 'email subscriber unsubscribed');
      return true;
    },

    close: () => deps.mailer.close(),
  };
}

/** "tag MoE", "keyword ‘speculative decoding’": the command's wording, without its code spans (pages and emails are not chat). */
function describe(target: Pick<Subscription, 'kind' | 'value'>): string {
  return describeSubscription(target).replaceAll('`', '');
}
