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
