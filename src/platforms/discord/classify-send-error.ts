import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import type { SendResult } from '../../domain/delivery.ts';

type Failure = Extract<SendResult, { ok: false }>;

/** Discord errors that retrying cannot fix: the channel or user is gone, or the bot may not write there. */
const PERMANENT: ReadonlyMap<number, string> = new Map([
  [RESTJSONErrorCodes.UnknownChannel, 'unknown channel (deleted, or an id from another server)'],
  [RESTJSONErrorCodes.UnknownGuild, 'unknown server (the bot was removed)'],
  [RESTJSONErrorCodes.UnknownUser, 'unknown user'],
  [RESTJSONErrorCodes.MissingAccess, 'missing access: the bot cannot see this channel'],
  [RESTJSONErrorCodes.MissingPermissions, 'missing permissions: the bot may not post or embed links in this channel'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'cannot send messages to this user: their DMs are closed'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds, 'cannot send messages to this user: no server in common'],
]);

/**
 * A failed send as the delivery job needs it. Permanent: the Discord codes above, and any other
 * 4xx but 401/429 (our payload was refused; a retry would be refused too). Transient: 5xx after
 * discord.js's own retries, timeouts and network errors, a rate limit longer than we wait, a
 * rejected token (the operator can fix it), opening DMs too fast.
 */
export function classifySendError(error: unknown): Failure {
  if (error instanceof RateLimitError) {
    return {
      ok: false,
      permanent: false,
      reason: `rate limited on ${error.route} for ${Math.ceil(error.retryAfter / 1000)} s`,
      retryAfterMs: error.retryAfter,
    };
  }
  if (error instanceof DiscordAPIError) {
    const known = typeof error.code === 'number' ? PERMANENT.get(error.code) : undefined;
    if (known) return { ok: false, permanent: true, reason: `${known} (Discord ${error.code})` };
    if (error.code === RESTJSONErrorCodes.OpeningDirectMessagesTooFast)
      return { ok: false, permanent: false, reason: 'opening DMs too fast', retryAfterMs: 60_000 };
    if (error.status === 401) return { ok: false, permanent: false, reason: 'Discord rejected the bot token (DISCORD_TOKEN)' };
    if (error.status === 429) return { ok: false, permanent: false, reason: 'rate limited' };
    return { ok: false, permanent: true, reason: `Discord refused the message: ${error.message} (HTTP ${error.status}, code ${error.code})` };
  }
  if (error instanceof HTTPError) return { ok: false, permanent: false, reason: `Discord answered HTTP ${error.status}` };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ok: false, permanent: false, reason: `request failed: ${message}` };
}
