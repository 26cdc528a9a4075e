import { randomBytes } from 'node:crypto';
import type { ReplyAction } from '../../domain/reply.ts';
import type { Cache } from '../../store/cache.ts';

type StoredAction = Extract<ReplyAction, { kind: 'more' | 'share' }>;

/**
 * Button payloads too long for a 100-character custom_id (a search cursor can be 4,000): stored
 * under a random key that the button carries. Kept a week; an older button says it expired.
 */
export type ActionStore = {
  save(action: StoredAction): Promise<string>;
  load(key: string): Promise<StoredAction | undefined>;
};

export const ACTION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function cacheActionStore(cache: Cache, ttlMs = ACTION_TTL_MS): ActionStore {
  return {
    async save(action) {
      const key = randomBytes(12).toString('base64url');
      await cache.set(key, action, ttlMs);
      return key;
    },
    async load(key) {
      return (await cache.get<StoredAction>(key)) ?? undefined;
    },
  };
}
