import type { VoteAnswer, VoteRequest } from '../../../commands/vote-on-paper.ts';
import type { Reply } from '../../domain/reply.ts';

/** Who typed the command, as Slack told us; the command core trusts these fields. */
export type SlackCaller = {
  readonly platform: 'slack';
  readonly userId: string;
  readonly displayName: string;
  readonly channelId: string | null;
  /** Workspace admin or owner, or listed in SLACK_ADMIN_USERS. */
  readonly canAdministerChannel: boolean;
  /** The person's zone from their Slack profile, when we could read it. */
  readonly timeZone: string | null;
};

export type CommandRequest = {
  /** The command's name without the slash (`papers`). */
  readonly command: string;
  readonly text: string;
  /** Set when the person pressed "More results". */
  readonly cursor?: string | null;
  readonly caller: SlackCaller;
};

/**
 * What the adapter needs from the command core: the names to listen for and a way to run one.
 * The adapter turns payloads into requests and Replies into messages; it decides nothing else.
 */
export type CommandRunner = {
  readonly commands: readonly { readonly name: string }[];
  run(request: CommandRequest): Promise<Reply>;
  /** A paper's ⋯ menu or a 👍/👎 reaction: a vote, answered privately (never throws). */
  vote(caller: SlackCaller, request: VoteRequest): Promise<VoteAnswer>;
};
