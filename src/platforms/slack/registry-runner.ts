import type { Command, CommandServices } from '../../../commands/command.ts';
import { findCommand, runCommand } from '../../../commands/run-command.ts';
import { voteOnPaper } from '../../../commands/vote-on-paper.ts';
import type { Reply } from '../../domain/reply.ts';
import type { CommandRequest, CommandRunner } from './command-port.ts';

/**
 * The command core behind the adapter's port: Slack listens for each command's name, and a request
 * (typed, or from a button) runs through `runCommand`, which turns user mistakes into private
 * replies and bugs into a logged apology. A button naming a command we do not have (forged, or
 * from an older version of the bot) gets a private note instead of an error.
 */
export function registryRunner(commands: readonly Command[], services: CommandServices, now: () => Date): CommandRunner {
  return {
    commands,
    async run(request: CommandRequest): Promise<Reply> {
      const command = findCommand(commands, request.command);
      if (!command) {
        services.log.warn({ module: 'slack', command: request.command, userId: request.caller.userId }, 'slack request for an unknown command');
        return { text: 'That command is not available any more. See `/papers-help`.', private: true };
      }
      return runCommand(command, { caller: request.caller, now, services }, { text: request.text, cursor: request.cursor ?? null });
    },
    vote(caller, request) {
      return voteOnPaper({ caller, now, services }, request);
    },
  };
}
