import type { Command } from './command.ts';
import { digestCommand } from './digest.ts';
import { dislikeCommand } from './dislike.ts';
import { feedbackCommand } from './feedback.ts';
import { helpCommand } from './help.ts';
import { likeCommand } from './like.ts';
import { papersCommand } from './papers.ts';
import { subscribeCommand } from './subscribe.ts';
import { subscriptionsCommand } from './subscriptions.ts';
import { unsubscribeCommand } from './unsubscribe.ts';
import { unvoteCommand } from './unvote.ts';

export type { Caller, Command, CommandContext, CommandInput, CommandOption, CommandServices } from './command.ts';
export { commandServices } from './command.ts';
export { findCommand, runCommand } from './run-command.ts';

/** Every slash command, listed explicitly: adapters register exactly these. */
export const COMMANDS: readonly Command[] = [
  papersCommand,
  subscribeCommand,
  unsubscribeCommand,
  subscriptionsCommand,
  digestCommand,
  likeCommand,
  dislikeCommand,
  unvoteCommand,
  feedbackCommand,
  helpCommand,
];
