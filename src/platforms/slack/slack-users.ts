import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';

export type SlackUserFacts = {
  /** Workspace admin, owner or primary owner, or listed in SLACK_ADMIN_USERS. */
  readonly isAdmin: boolean;
  readonly timeZone: string | null;
  readonly displayName: string | null;
  /** A bot user (another app's, or a workflow's): its 👍/👎 are not a person's vote. */
  readonly isBot: boolean;
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
  is_bot?: boolean;
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
  // Lookups under way: a burst of reactions by one person asks users.info once.
  const asking = new Map<string, Promise<SlackUserFacts>>();
  async function ask(userId: string): Promise<SlackUserFacts> {
    const listed = options.adminUsers.includes(userId);
    try {
      const answer = await options.client.users.info({ user: userId });
      const user = (answer.user ?? {}) as UsersInfoUser;
      const facts: SlackUserFacts = {
        isAdmin: listed || Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
        timeZone: user.tz || null,
        displayName: user.profile?.display_name || user.profile?.real_name || user.real_name || null,
        isBot: user.is_bot === true,
      };
      cache.set(userId, { facts, until: now() + ttlMs });
      return facts;
    } catch (error) {
      log.warn({ err: error, userId }, 'users.info failed; using the configured admin list only');
      // Counted as a person: a failed lookup must not drop people's votes.
      return { isAdmin: listed, timeZone: null, displayName: null, isBot: false };
    }
  }
  return {
    lookup(userId) {
      const cached = cache.get(userId);
      if (cached && cached.until > now()) return Promise.resolve(cached.facts);
      const pending = asking.get(userId) ?? ask(userId).finally(() => asking.delete(userId));
      asking.set(userId, pending);
      return pending;
    },
  };
}
