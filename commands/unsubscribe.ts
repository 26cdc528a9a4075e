import { UserError } from '../src/domain/errors.ts';
import type { Reply } from '../src/domain/reply.ts';
import { describeSubscription, parseSubscriptionTargets, type Subscriber } from '../src/domain/subscription.ts';
import { hasPickSubscription, removePickSubscription } from '../src/store/person-models.ts';
import { listSubscriptions, removeAllSubscriptions, removeSubscription } from '../src/store/subscriptions.ts';
import { type Command, type CommandContext, type CommandInput, textOption } from './command.ts';
import { listFollowed, nowFollowing } from './describe-subscriptions.ts';
import { isPicks, PICKS, unsubscribePicks } from './picks.ts';

export const unsubscribeCommand: Command = {
  name: 'unsubscribe',
  aliases: [],
  description: 'Stop following a tag, keyword, "phrase" or author, or everything with: all',
  usage: '<tag | keyword | "phrase" | author:Name | all>',
  examples: ['unsubscribe MoE', 'unsubscribe speculative decoding', 'unsubscribe picks', 'unsubscribe all'],
  options: [textOption('what', 'What to stop following (see /subscriptions), or all', 'subscriptions', true)],
  run: unsubscribe,
  async complete(ctx, partial) {
    const typed = partial.trim().toLowerCase();
    const mine = await listSubscriptions(ctx.services.db, { platform: ctx.caller.platform, userId: ctx.caller.userId });
    const choices = mine.map((subscription) =>
      subscription.kind === 'tag' || subscription.kind === 'keyword'
        ? subscription.value
        : subscription.kind === 'phrase'
          ? `"${subscription.value}"`
          : `author:${subscription.value}`,
    );
    const picks = (await hasPickSubscription(ctx.services.db, { platform: ctx.caller.platform, userId: ctx.caller.userId })) ? [PICKS] : [];
    return [...choices, ...picks, 'all'].filter((choice) => choice.toLowerCase().includes(typed)).slice(0, 25);
  },
};

async function unsubscribe(ctx: CommandContext, input: CommandInput): Promise<Reply> {
  const subscriber: Subscriber = { platform: ctx.caller.platform, userId: ctx.caller.userId };
  const { db, vocabulary } = ctx.services;
  const text = input.text.trim();
  if (isPicks(text)) return unsubscribePicks(ctx);
  if (!text) {
    const list = listFollowed(await listSubscriptions(db, subscriber));
    throw new UserError(list ? `What should I remove? You follow: ${list}. Or \`/unsubscribe all\`.` : 'You follow nothing, so there is nothing to remove.');
  }
  if (/^all$/i.test(text)) {
    const removed = await removeAllSubscriptions(db, subscriber);
    const picks = await removePickSubscription(db, subscriber);
    const things = [removed ? `all ${removed} of your subscriptions` : '', picks ? '“Picked for you”' : ''].filter(Boolean).join(' and ');
    return { text: things ? `Removed ${things}. You follow nothing now.` : 'You followed nothing; nothing changed.', private: true };
  }
  const targets = parseSubscriptionTargets(text, vocabulary);
  if (targets.length === 0) throw new UserError('What should I remove? See `/subscriptions` for what you follow.');
  const lines = await db.transaction(async (tx) => {
    const mine = await listSubscriptions(tx, subscriber);
    const result: string[] = [];
    for (const target of targets) {
      // Typed as a tag but stored as something else (a keyword from before the tag existed): same key removes it.
      const stored =
        mine.find((subscription) => subscription.kind === target.kind && subscription.key === target.key) ??
        mine.find((subscription) => subscription.key === target.key);
      if (stored && (await removeSubscription(tx, subscriber, stored.kind, stored.key))) result.push(`Removed ${describeSubscription(stored)}.`);
      else result.push(`You do not follow ${describeSubscription(target)}.`);
    }
    return result;
  });
  return { text: [...lines, nowFollowing(await listSubscriptions(db, subscriber))].join('\n'), private: true };
}
