import type { Command } from './command.ts';
import { digestCommand } from './digest.ts';
import { helpCommand } from './help.ts';
import { papersCommand } from './papers.ts';
import { subscribeCommand } from './subscribe.ts';
import { subscriptionsCommand } from './subscriptions.ts';
import { unsubscribeCommand } from './unsubscribe.ts';

export type { Caller, Command, CommandContext, CommandInput, CommandOption, CommandServices } from './command.ts';
export { commandServices } from './command.ts';
export { findCommand, runCommand } from './run-command.ts';

/** Every slash command, listed explicitly: adapters register exactly these. */
export const COMMANDS: readonly Command[] = [papersCommand, subscribeCommand, unsubscribeCommand, subscriptionsCommand, digestCommand, helpCommand];
