import type { Command, CommandServices } from '../../../commands/command.ts';
import { findCommand, runCommand } from '../../../commands/run-command.ts';
import { voteOnPaper } from '../../../commands/vote-on-paper.ts';
import type { CommandPort, SlashCommand } from './command-port.ts';

const NOT_OFFERED = 'This command is no longer offered. Type `/` to see the current ones.';

/**
 * What Discord registers for the command core's commands: names, descriptions and free-text
 * options as the core declares them. An option autocompletes only when its command can complete
 * (the core's hint alone would ask Discord for suggestions nobody answers).
 */
export function slashCommands(commands: readonly Command[]): SlashCommand[] {
  return commands.map((command) => ({
    name: command.name,
    description: command.description,
    options: command.options.map((option) => ({
      name: option.name,
      description: option.description,
      required: option.required,
      autocomplete: Boolean(command.complete) && option.autocomplete !== null,
      maxLength: option.maxLength,
    })),
  }));
}

/**
 * The command core behind the adapter's port: a call runs the named command through `runCommand`
 * (mistakes become private replies, bugs are logged there), suggestions come from the command's
 * `complete`. Names registered before a command was removed answer that it is gone.
 */
export function registryPort(commands: readonly Command[], services: CommandServices, now: () => Date): CommandPort {
  return {
    commands: slashCommands(commands),
    async run(name, caller, input) {
      const command = findCommand(commands, name);
      if (!command) return { text: NOT_OFFERED, private: true };
      return runCommand(command, { caller, now, services }, input);
    },
    async complete(name, caller, partial) {
      const command = findCommand(commands, name);
      if (!command?.complete) return [];
      return command.complete({ caller, now, services }, partial);
    },
    vote(caller, request) {
      return voteOnPaper({ caller, now, services }, request);
    },
  };
}
