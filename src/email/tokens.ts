import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tokens in emailed links. A confirmation token (`c.` + 256 random bits) is stored only as its
 * SHA-256, with its expiry. An unsubscribe token names the subscriber and an expiry and is signed
 * with that subscriber's own random key: nothing to store per email, unguessable without the key,
 * and dead once the subscriber is gone (the key goes with them).
 */
export const CONFIRMATION_PREFIX = 'c.';
export const UNSUBSCRIBE_PREFIX = 'u.';

export function newConfirmationToken(): string {
  return `${CONFIRMATION_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isConfirmationToken(token: string): boolean {
  return /^c\.[A-Za-z0-9_-]{43}$/.test(token);
}

/** A random id or key: 16 characters of base64url (96 bits) for ids, 43 (256 bits) for keys. */
export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

export type UnsubscribeClaim = { readonly subscriberId: string; readonly expiresAt: Date };

export function signUnsubscribe(claim: UnsubscribeClaim, key: string): string {
  const payload = `${claim.subscriberId}.${Math.floor(claim.expiresAt.getTime() / 1000).toString(36)}`;
  return `${UNSUBSCRIBE_PREFIX}${payload}.${mac(payload, key)}`;
}

/** The claim an unsubscribe token makes, before its signature is checked (that needs the subscriber's key). */
export function readUnsubscribe(token: string): (UnsubscribeClaim & { readonly payload: string; readonly mac: string }) | null {
  const match = /^u\.([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, subscriberId, expires, signature] = match as unknown as [string, string, string, string];
  return { subscriberId, expiresAt: new Date(Number.parseInt(expires, 36) * 1000), payload: `${subscriberId}.${expires}`, mac: signature };
}

export function verifyUnsubscribe(claim: NonNullable<ReturnType<typeof readUnsubscribe>>, key: string, now: Date): boolean {
  if (claim.expiresAt.getTime() <= now.getTime()) return false;
  const expected = Buffer.from(mac(claim.payload, key));
  const given = Buffer.from(claim.mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function mac(payload: string, key: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/**
 * A vote link in an alert email: "relevant", "not relevant" (or, from the page after a vote, "take
 * it back") on one paper, for one subscriber, until it expires. Signed like an unsubscribe token,
 * with the subscriber's own key, and with its own prefix inside the signed text, so no other link's
 * signature can pass for a vote's. Nothing is stored per link.
 */
export const VOTE_PREFIX = 'v.';
export type VoteChoice = 'relevant' | 'not-relevant' | 'clear';
export type VoteClaim = { readonly subscriberId: string; readonly paperId: string; readonly choice: VoteChoice; readonly expiresAt: Date };

const CHOICE_CODES: Readonly<Record<VoteChoice, string>> = { relevant: 'r', 'not-relevant': 'n', clear: 'c' };
const CODE_CHOICES: Readonly<Record<string, VoteChoice>> = { r: 'relevant', n: 'not-relevant', c: 'clear' };

export function signVote(claim: VoteClaim, key: string): string {
  const body = `${claim.subscriberId}.${CHOICE_CODES[claim.choice]}.${Math.floor(claim.expiresAt.getTime() / 1000).toString(36)}.${Buffer.from(claim.paperId).toString('base64url')}`;
  return `${VOTE_PREFIX}${body}.${mac(`vote.${body}`, key)}`;
}

/** The claim a vote token makes, before its signature is checked; null when it is not shaped as one. */
export function readVote(token: string): (VoteClaim & { readonly signed: string; readonly mac: string }) | null {
  const match = /^v\.([A-Za-z0-9_-]{16})\.([rnc])\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{4,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, subscriberId, code, expires, paper, signature] = match as unknown as [string, string, string, string, string, string];
  const paperId = Buffer.from(paper, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9./-]{4,40}$/.test(paperId)) return null;
  return {
    subscriberId,
    paperId,
    choice: CODE_CHOICES[code] as VoteChoice,
    expiresAt: new Date(Number.parseInt(expires, 36) * 1000),
    signed: `vote.${subscriberId}.${code}.${expires}.${paper}`,
    mac: signature,
  };
}

/** `forged` when the signature is not the key's; `expired` when it is, but too late. */
export function checkVote(claim: NonNullable<ReturnType<typeof readVote>>, key: string, now: Date): 'valid' | 'forged' | 'expired' {
  const expected = Buffer.from(mac(claim.signed, key));
  const given = Buffer.from(claim.mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
  return claim.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid';
}
