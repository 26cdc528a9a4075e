/**
 * How fast one person may vote: a button pressed in a loop, a script clicking, or a reaction toggled
 * a thousand times is absorbed here, in memory, before it reaches the archive. Per person and
 * platform, a sliding window: at most `votes` in any `windowMs`.
 */
export type VoteLimit = { readonly votes: number; readonly windowMs: number };

export const VOTE_LIMIT: VoteLimit = { votes: 30, windowMs: 60_000 };

/** `tell`: the first refusal in a run of them; an adapter answering a reaction says nothing about the others. */
export type LimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly tell: boolean; readonly retryAfterMs: number };

export type VoteLimiter = { take(key: string, now: Date): LimitVerdict };

/** Past this many people in memory, those idle for a whole window are forgotten. */
const SWEEP_AT = 10_000;

export function createVoteLimiter(limit: VoteLimit = VOTE_LIMIT): VoteLimiter {
  const recent = new Map<string, { stamps: number[]; told: boolean }>();

  function sweep(nowMs: number): void {
    for (const [key, entry] of recent) if ((entry.stamps.at(-1) ?? 0) <= nowMs - limit.windowMs) recent.delete(key);
  }

  return {
    take(key, now) {
      const nowMs = now.getTime();
      if (recent.size >= SWEEP_AT) sweep(nowMs);
      const entry = recent.get(key) ?? { stamps: [], told: false };
      recent.set(key, entry);
      while (entry.stamps.length && (entry.stamps[0] as number) <= nowMs - limit.windowMs) entry.stamps.shift();
      if (entry.stamps.length < limit.votes) {
        entry.stamps.push(nowMs);
        entry.told = false;
        return { allowed: true };
      }
      const tell = !entry.told;
      entry.told = true;
      return { allowed: false, tell, retryAfterMs: (entry.stamps[0] as number) + limit.windowMs - nowMs };
    },
  };
}
