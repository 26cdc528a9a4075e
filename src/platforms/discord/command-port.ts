import type { VoteAnswer, VoteRequest } from '../../../commands/vote-on-paper.ts';
import type { Reply } from '../../domain/reply.ts';

/** The person behind an interaction, as Discord established it (the shape the command core's Caller takes). */
export type DiscordCaller = {
  readonly platform: 'discord';
  readonly userId: string;
  readonly displayName: string;
  /** Where the interaction came from; a DM channel id in DMs. */
  readonly channelId: string | null;
  /** Manage Channels in this channel, or the configured admin role. Always false in DMs. */
  readonly canAdministerChannel: boolean;
  /** Discord does not tell a user's time zone. */
  readonly timeZone: null;
};

export type SlashOption = {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly autocomplete: boolean;
  readonly maxLength: number;
};

/** What Discord registers: a name, one line, free-text options. */
export type SlashCommand = {
  readonly name: string;
  readonly description: string;
  readonly options: readonly SlashOption[];
};

export type CommandInput = { readonly text: string; readonly cursor?: string | null };

/**
 * What the adapter needs from the command core, and nothing about how commands are registered:
 * the commands to offer, "run `name` with `input` for this caller and give me a Reply", and
 * suggestions while the person types. `run` never throws for a person's mistake: it answers with a
 * private Reply; a throw is a bug, which the adapter logs and answers generically.
 */
export type CommandPort = {
  readonly commands: readonly SlashCommand[];
  run(name: string, caller: DiscordCaller, input: CommandInput): Promise<Reply>;
  complete(name: string, caller: DiscordCaller, partial: string): Promise<readonly string[]>;
  /** A vote button, a vote menu or a 👍/👎 reaction: recorded and answered privately (never throws). */
  vote(caller: DiscordCaller, request: VoteRequest): Promise<VoteAnswer>;
};
