import { describe, expect, it } from 'vitest';
import { hashToken, isConfirmationToken, newConfirmationToken, randomId, readUnsubscribe, signUnsubscribe, verifyUnsubscribe } from '../../src/email/tokens.ts';

describe('email tokens', () => {
  it('GIVEN new confirmation tokens THEN 256 random bits each, never repeated, stored as a SHA-256', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newConfirmationToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(isConfirmationToken(token)).toBe(true);
    const [token] = tokens as Set<string>;
    expect(hashToken(token as string)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token as string)).not.toContain(token);
  });

  it('GIVEN an unsubscribe token THEN it verifies with its key until it expires, and with no other key', () => {
    const key = randomId(32);
    const now = new Date('2025-12-19T00:00:00Z');
    const token = signUnsubscribe({ subscriberId: 'AbCdEfGhIjKlMnOp', expiresAt: new Date('2026-03-19T00:00:00Z') }, key);
    const claim = readUnsubscribe(token);
    expect(claim?.subscriberId).toBe('AbCdEfGhIjKlMnOp');
    expect(verifyUnsubscribe(claim as NonNullable<typeof claim>, key, now)).toBe(true);
    expect(verifyUnsubscribe(claim as NonNullable<typeof claim>, randomId(32), now)).toBe(false);
    expect(verifyUnsubscribe(claim as NonNullable<typeof claim>, key, new Date('2026-03-19T00:00:00Z'))).toBe(false);
  });

  it.each(['', 'u.', 'u.short.1.abc', 'c.notaconfirmation', `u.AbCdEfGhIjKlMnOp.zz.${'A'.repeat(42)}`, '<script>'])(
    'GIVEN %j THEN it is not an unsubscribe token',
    (text) => {
      expect(readUnsubscribe(text)).toBeNull();
    },
  );
});
