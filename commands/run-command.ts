import { UserError } from '../src/domain/errors.ts';
import type { Reply } from '../src/domain/reply.ts';
import type { Command, CommandContext, CommandInput } from './command.ts';

export const SOMETHING_WENT_WRONG = 'Sorry, something went wrong on our side. It has been logged; please try again later.';

/**
 * What every adapter calls. A UserError becomes a private reply with its message; any other error
 * is a bug: logged with context, and the person gets a generic private reply, never the error.
 */
export async function runCommand(command: Command, ctx: CommandContext, input: CommandInput): Promise<Reply> {
  try {
    return await command.run(ctx, input);
  } catch (error) {
    if (error instanceof UserError) return { text: error.message, private: true };
    ctx.services.log.error(
      {
        err: error,
        command: command.name,
        platform: ctx.caller.platform,
        userId: ctx.caller.userId,
        channelId: ctx.caller.channelId,
        paging: Boolean(input.cursor),
      },
      'command failed',
    );
    return { text: SOMETHING_WENT_WRONG, private: true };
  }
}

/** A command by name or alias, with or without the slash, any case. */
export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  const wanted = name.trim().replace(/^\//, '').toLowerCase();
  return commands.find((command) => command.name === wanted || command.aliases.includes(wanted));
}
