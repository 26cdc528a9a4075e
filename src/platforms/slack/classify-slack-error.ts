import { webApi } from '@slack/bolt';

export type SlackFailure = {
  /** Retrying will not help: the channel, user or permission is gone. */
  readonly permanent: boolean;
  /** Slack's error code (`channel_not_found`) or a short label for transport faults. */
  readonly code: string;
  /** A sentence an operator can act on. */
  readonly reason: string;
  /** How long Slack asked us to wait (429 Retry-After). */
  readonly retryAfterMs?: number;
};

/** Why a send can never succeed as addressed, with what an admin can do about it. */
const PERMANENT: Record<string, string> = {
  channel_not_found: 'channel not found: it was deleted, or it is private and the bot is not in it',
  not_in_channel: 'the bot is not a member of the channel: invite it there with /invite @lmsys-papers',
  is_archived: 'the channel is archived',
  restricted_action: 'the workspace does not allow the bot to post in this channel',
  account_inactive: 'the account is deactivated (the user, or the bot token itself)',
  user_disabled: 'the user is deactivated',
  user_not_found: 'no such user in this workspace',
  users_not_found: 'no such user in this workspace',
  cannot_dm_bot: 'cannot send a direct message to a bot',
  messages_tab_disabled: 'the user does not accept direct messages from apps',
  missing_scope: 'the app lacks a permission: reinstall it from slack/manifest.yaml',
  not_allowed_token_type: 'the token is not a bot token (xoxb-…)',
  invalid_auth: 'the bot token is invalid',
  not_authed: 'no bot token was sent',
  token_revoked: 'the bot token was revoked: reinstall the app',
  token_expired: 'the bot token expired',
  team_access_not_granted: 'the app is not installed in this workspace',
  ekm_access_denied: 'the workspace administrators have suspended the app',
};

/**
 * Slack's own "try again" answers (HTTP 200 with ok:false). `rate_limited` is chat.postMessage's
 * "application has posted too many messages": an HTTP 200 with no Retry-After, unlike the 429
 * `ratelimited`, and just as passing.
 */
const TRANSIENT = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** Whether a Slack error code means "not now" rather than "never". */
export function isTransientSlackCode(code: string): boolean {
  return TRANSIENT.has(code);
}

/**
 * Sorts an error from the Web API client into a permanent failure (recorded, never retried) or a
 * transient one (retried, after Retry-After when Slack gave one). Platform errors we do not know
 * are treated as permanent: retrying an `invalid_blocks` would only repeat it.
 */
export function classifySlackError(error: unknown): SlackFailure {
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  switch (coded.code) {
    case webApi.ErrorCode.RateLimitedError:
      return { permanent: false, code: 'ratelimited', reason: 'rate limited by Slack', retryAfterMs: Math.max(0, (coded.retryAfter ?? 1) * 1000) };
    case webApi.ErrorCode.PlatformError: {
      const code = coded.data?.error ?? 'unknown_error';
      if (TRANSIENT.has(code)) return { permanent: false, code, reason: `Slack answered ${code}` };
      return { permanent: true, code, reason: PERMANENT[code] ?? `Slack refused the request: ${code}` };
    }
    case webApi.ErrorCode.HTTPError: {
      const status = coded.statusCode ?? 0;
      return { permanent: status >= 400 && status < 500, code: `http_${status}`, reason: `Slack answered HTTP ${status}` };
    }
    case webApi.ErrorCode.RequestError:
      return { permanent: false, code: 'request_error', reason: `cannot reach Slack (${networkCause(error)})` };
    default:
      return { permanent: false, code: 'unexpected', reason: coded.message ?? String(error) };
  }
}

/** What the network said, from the SDK's request error down to the socket (`connect ECONNREFUSED 127.0.0.1:9`). */
export function networkCause(error: unknown): string {
  let cause: unknown = (error as { original?: unknown }).original ?? error;
  for (let depth = 0; depth < 4; depth++) {
    const next = (cause as { cause?: unknown }).cause;
    if (!next) break;
    cause = next;
  }
  const { code, message } = cause as { code?: string; message?: string };
  return message || code || String(cause);
}
