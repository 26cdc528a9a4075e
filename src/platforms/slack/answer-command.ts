import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { CommandRunner, SlackCaller } from './command-port.ts';
import type { DigestPapers } from './digest-papers.ts';
import type { InFlight } from './in-flight.ts';
import { sendReply, type Visibility } from './send-reply.ts';
import type { SlackUsers } from './slack-users.ts';

export type ListenerDeps = {
  readonly runner: CommandRunner;
  readonly users: SlackUsers;
  readonly log: Logger;
  readonly inFlight: InFlight;
  /** Our own Web API client (throws on 429 rather than waiting): reactions read messages and answer with it. */
  readonly client: webApi.WebClient;
  /** The bot's own user id: its reactions are not votes. */
  readonly botUserId: string;
  readonly digestPapers: DigestPapers;
};

/** Who pressed or typed, as the payload says; the rest comes from `users.info`. */
export type PayloadUser = { readonly userId: string; readonly userName: string; readonly channelId: string | null };

export type Answer = {
  readonly command: string;
  readonly text: string;
  readonly cursor?: string | null;
  /** Force the reply public (`/papers … public`, the Share button); otherwise the command decides. */
  readonly forcePublic?: boolean;
  /** Force it private (paging someone else's public results shows the next page to the one who asked). */
  readonly forcePrivate?: boolean;
};

const SOMETHING_WENT_WRONG = 'Sorry, something went wrong on our side. It has been logged; please try again later.';

/**
 * Runs after `ack()`: builds the caller, runs the command, answers through response_url. A failure
 * here is a bug or Slack being down: it is logged with context and the person gets a plain apology.
 */
export function answerCommand(deps: ListenerDeps, respond: RespondFn, user: PayloadUser, answer: Answer): Promise<void> {
  return deps.inFlight.track(runAndRespond(deps, respond, user, answer));
}

async function runAndRespond(deps: ListenerDeps, respond: RespondFn, user: PayloadUser, answer: Answer): Promise<void> {
  const log = deps.log.child({ module: 'slack', command: answer.command, userId: user.userId, channelId: user.channelId });
  try {
    const caller = await slackCaller(deps.users, user);
    const reply = await deps.runner.run({ command: answer.command, text: answer.text, cursor: answer.cursor ?? null, caller });
    const visibility: Visibility = answer.forcePrivate ? 'ephemeral' : answer.forcePublic || !reply.private ? 'in_channel' : 'ephemeral';
    await sendReply(respond, reply, visibility);
  } catch (error) {
    log.error({ err: error, paging: Boolean(answer.cursor) }, 'slack command failed');
    await respond({ response_type: 'ephemeral', replace_original: false, text: SOMETHING_WENT_WRONG }).catch((respondError: unknown) => {
      log.error({ err: respondError }, 'slack apology not delivered');
    });
  }
}

export async function slackCaller(users: SlackUsers, user: PayloadUser): Promise<SlackCaller> {
  const facts = await users.lookup(user.userId);
  return {
    platform: 'slack',
    userId: user.userId,
    displayName: facts.displayName ?? user.userName,
    channelId: user.channelId,
    canAdministerChannel: facts.isAdmin,
    timeZone: facts.timeZone,
  };
}
