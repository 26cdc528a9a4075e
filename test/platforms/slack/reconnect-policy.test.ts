import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { afterEnd, afterFailedAttempt, backoffMs, RECONNECT_TIMING } from '../../../src/platforms/slack/reconnect-policy.ts';
import { disconnectReason } from '../../../src/platforms/slack/socket-mode-connection.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/slack/socket/${name}`, import.meta.url), 'utf8');
const YOUNG = 1000;
const LASTED = RECONNECT_TIMING.stableMs;

describe('when Socket Mode connects again', () => {
  it('GIVEN failures in a row THEN the waits are none, then 1, 2, 4 … s, capped at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 12].map((failures) => backoffMs(failures, RECONNECT_TIMING))).toEqual([0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('GIVEN Slack recycles a connection THEN the next one is opened at once and the run of failures ends', () => {
    expect(afterEnd({ kind: 'recycled', reason: 'refresh_requested', upMs: YOUNG }, 3, RECONNECT_TIMING)).toEqual({ failures: 0, waitMs: 0 });
  });

  it('GIVEN too_many_websockets THEN the first is tried again at once and a repeat backs off', () => {
    const first = afterEnd({ kind: 'too_many_websockets', reason: 'too_many_websockets', upMs: YOUNG }, 0, RECONNECT_TIMING);
    const second = afterEnd({ kind: 'too_many_websockets', reason: 'too_many_websockets', upMs: YOUNG }, first.failures, RECONNECT_TIMING);
    expect([first, second]).toEqual([
      { failures: 1, waitMs: 0 },
      { failures: 2, waitMs: 1000 },
    ]);
  });

  it('GIVEN a dropped connection THEN one that had lasted is reopened at once, one that had not counts as a failure', () => {
    expect(afterEnd({ kind: 'dropped', reason: 'connection closed', upMs: LASTED }, 4, RECONNECT_TIMING)).toEqual({ failures: 0, waitMs: 0 });
    expect(afterEnd({ kind: 'dropped', reason: 'connection closed', upMs: YOUNG }, 1, RECONNECT_TIMING)).toEqual({ failures: 2, waitMs: 2000 });
  });

  it('GIVEN a failed attempt with Retry-After THEN the wait is the longer of the backoff and what Slack asked', () => {
    expect(afterFailedAttempt(0, RECONNECT_TIMING, 0)).toEqual({ failures: 1, waitMs: 1000 });
    expect(afterFailedAttempt(0, RECONNECT_TIMING, 20_000)).toEqual({ failures: 1, waitMs: 20_000 });
  });

  it("GIVEN Slack's disconnect messages THEN their reasons are read, and nothing else is taken for one", () => {
    expect(
      ['disconnect-warning.json', 'disconnect-refresh_requested.json', 'disconnect-too_many_websockets.json'].map((name) => disconnectReason(fixture(name))),
    ).toEqual(['warning', 'refresh_requested', 'too_many_websockets']);
    expect(disconnectReason(fixture('hello.json'))).toBeNull();
    expect(disconnectReason(fixture('slash_commands.envelope.json'))).toBeNull();
    expect(disconnectReason('{"type":"disconnect"')).toBeNull();
    expect(disconnectReason(Buffer.from(fixture('disconnect-warning.json')))).toBeNull();
  });
});
