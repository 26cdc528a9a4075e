import type { Reply } from '../src/domain/reply.ts';
import { MAX_SUBSCRIPTIONS_PER_USER } from '../src/domain/subscription.ts';
import { listSubscriptions } from '../src/store/subscriptions.ts';
import type { Command, CommandContext } from './command.ts';
import { listFollowed } from './describe-subscriptions.ts';
import { picksLine } from './picks.ts';

export const subscriptionsCommand: Command = {
  name: 'subscriptions',
  aliases: [],
  description: 'List what you follow (tags, keywords, phrases, authors) on this platform',
  usage: '',
  examples: ['subscriptions'],
  options: [],
  run: listOwn,
};

async function listOwn(ctx: CommandContext): Promise<Reply> {
  const mine = await listSubscriptions(ctx.services.db, { platform: ctx.caller.platform, userId: ctx.caller.userId });
  const list = listFollowed(mine);
  const picks = await picksLine(ctx);
  if (!list) {
    const hint = 'Try `/subscribe MoE`, `/subscribe speculative decoding`, `/subscribe "kv cache"`, `/subscribe author:Song Han` or `/subscribe picks`.';
    return { text: [`You follow nothing yet. ${hint}`, ...(picks ? [picks] : [])].join('\n'), private: true };
  }
  const lines = [
    `You follow ${mine.length} of at most ${MAX_SUBSCRIPTIONS_PER_USER}: ${list}.`,
    'New papers that match any of them come to you as a direct message after each daily digest.',
    ...(picks ? [picks] : []),
    'Remove one with `/unsubscribe <it>`, or everything with `/unsubscribe all`.',
  ];
  return { text: lines.join('\n'), private: true };
}
