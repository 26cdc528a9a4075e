import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';

export type SlackUserFacts = {
  /** Workspace admin, owner or primary owner, or listed in SLACK_ADMIN_USERS. */
  readonly isAdmin: boolean;
  readonly timeZone: string | null;
  readonly displayName: string | null;
};

export type SlackUsers = { lookup(userId: string): Promise<SlackUserFacts> };

export type SlackUsersOptions = {
  readonly client: webApi.WebClient;
  readonly adminUsers: readonly string[];
  readonly log: Logger;
  readonly now?: () => number;
  /** Role changes take effect after this long. */
  readonly ttlMs?: number;
};

type UsersInfoUser = {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  tz?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
};

/**
 * What `users.info` says about a person, cached: whether they may change a channel's digest and
 * their time zone. If Slack cannot be asked, only the configured admin list counts — a failed
 * lookup never grants rights.
 */
export function createSlackUsers(options: SlackUsersOptions): SlackUsers {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const log = options.log.child({ module: 'slack-users' });
  const cache = new Map<string, { facts: SlackUserFacts; until: number }>();
  return {
    async lookup(userId) {
      const cached = cache.get(userId);
      if (cached && cached.until > now()) return cached.facts;
      const listed = options.adminUsers.includes(userId);
      try {
        const answer = await options.client.users.info({ user: userId });
        const user = (answer.user ?? {}) as UsersInfoUser;
        const facts: SlackUserFacts = {
          isAdmin: listed || Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
          timeZone: user.tz || null,
          displayName: user.profile?.display_name || user.profile?.real_name || user.real_name || null,
        };
        cache.set(userId, { facts, until: now() + ttlMs });
        return facts;
      } catch (error) {
        log.warn({ err: error, userId }, 'users.info failed; using the configured admin list only');
        return { isAdmin: listed, timeZone: null, displayName: null };
      }
    },
  };
}
