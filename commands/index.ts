import type { Command } from './command.ts';
import { DOCUMENTED_COMMANDS } from './documented.ts';
import { helpCommand } from './help.ts';

export type { Caller, Command, CommandContext, CommandInput, CommandOption, CommandServices } from './command.ts';
export { commandServices } from './command.ts';
export { findCommand, runCommand } from './run-command.ts';

/** Every slash command, listed explicitly: adapters register exactly these. */
export const COMMANDS: readonly Command[] = [...DOCUMENTED_COMMANDS, helpCommand];
