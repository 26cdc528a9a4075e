import type { Command } from './command.ts';
import { digestCommand } from './digest.ts';
import { dislikeCommand } from './dislike.ts';
import { feedbackCommand } from './feedback.ts';
import { likeCommand } from './like.ts';
import { papersCommand } from './papers.ts';
import { subscribeCommand } from './subscribe.ts';
import { subscriptionsCommand } from './subscriptions.ts';
import { unsubscribeCommand } from './unsubscribe.ts';
import { unvoteCommand } from './unvote.ts';

/** The commands /help describes, in its order; with /help itself they are every command (index.ts). */
export const DOCUMENTED_COMMANDS: readonly Command[] = [
  papersCommand,
  subscribeCommand,
  unsubscribeCommand,
  subscriptionsCommand,
  digestCommand,
  likeCommand,
  dislikeCommand,
  unvoteCommand,
  feedbackCommand,
];
