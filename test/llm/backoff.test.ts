import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_BACKOFF_MS, retryAfterMs } from '../../src/llm/backoff.ts';

describe('retry timing', () => {
  const now = Date.parse('2025-12-18T12:00:00Z');

  it.each([
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after-ms': '250', 'retry-after': '7' }, 250],
    [{ 'retry-after': 'Thu, 18 Dec 2025 12:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'soon' }, null],
    [{}, null],
  ])('GIVEN headers %j THEN the server asks for %s ms', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), now)).toBe(expected);
  });

  it.each([
    [1, 100, null, 100],
    [3, 100, null, 400],
    [1, 100, 7000, 7000],
    [3, 100, 50, 400],
    [20, 100, null, MAX_BACKOFF_MS],
    [1, 100, 600_000, MAX_BACKOFF_MS],
  ])('GIVEN attempt %i, base %i ms and Retry-After %s THEN wait %i ms', (attempt, base, asked, expected) => {
    expect(backoffMs(attempt, base, asked)).toBe(expected);
  });
});
