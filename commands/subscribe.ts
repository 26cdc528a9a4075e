import { UserError } from '../src/domain/errors.ts';
import type { Reply } from '../src/domain/reply.ts';
import {
  describeSubscription,
  MAX_SUBSCRIPTIONS_PER_USER,
  parseSubscriptionTargets,
  type Subscriber,
  type SubscriptionTarget,
} from '../src/domain/subscription.ts';
import { addSubscription, listSubscriptions } from '../src/store/subscriptions.ts';
import { type Command, type CommandContext, type CommandInput, codeSafe, textOption } from './command.ts';
import { nowFollowing } from './describe-subscriptions.ts';
import { isPicks, PICKS, subscribePicks } from './picks.ts';

export const subscribeCommand: Command = {
  name: 'subscribe',
  aliases: [],
  description: 'Get a direct message when new papers match a tag, keyword, "phrase" or author:Name',
  usage: '<tag | keyword | "phrase" | author:Name>',
  examples: ['subscribe MoE', 'subscribe speculative decoding', 'subscribe "kv cache"', 'subscribe author:Song Han', 'subscribe picks'],
  options: [textOption('what', 'A tag (MoE), keyword, "exact phrase" or author:Name', 'tags', true)],
  run: subscribe,
  async complete(ctx, partial) {
    const typed = partial.trim().toLowerCase();
    return [...ctx.services.vocabulary.names(), PICKS].filter((name) => name.toLowerCase().startsWith(typed)).slice(0, 25);
  },
};

async function subscribe(ctx: CommandContext, input: CommandInput): Promise<Reply> {
  if (isPicks(input.text)) return subscribePicks(ctx);
  const targets = parseSubscriptionTargets(input.text, ctx.services.vocabulary);
  if (targets.length === 0) {
    throw new UserError(
      'What should I follow? For example `/subscribe MoE`, `/subscribe speculative decoding`, `/subscribe "kv cache"` or `/subscribe author:Song Han`.',
    );
  }
  const subscriber: Subscriber = { platform: ctx.caller.platform, userId: ctx.caller.userId };
  const { db } = ctx.services;
  const lines = await db.transaction(async (tx) => {
    const existing = await listSubscriptions(tx, subscriber);
    const known = new Set(existing.map((subscription) => `${subscription.kind}:${subscription.key}`));
    const adding = targets.filter((target) => !known.has(`${target.kind}:${target.key}`)).length;
    if (existing.length + adding > MAX_SUBSCRIPTIONS_PER_USER) {
      throw new UserError(`You can follow at most ${MAX_SUBSCRIPTIONS_PER_USER} things; you follow ${existing.length}. Remove some with \`/unsubscribe\`.`);
    }
    const now = ctx.now().toISOString();
    const result: string[] = [];
    for (const target of targets) result.push(describeAdded(target, await addSubscription(tx, subscriber, target, now)));
    return result;
  });
  const all = await listSubscriptions(db, subscriber);
  return { text: [...lines, nowFollowing(all)].join('\n'), private: true };
}

/** The wording: “`moe` matched tag MoE” vs “added keyword ‘speculative decoding’”. */
function describeAdded(target: SubscriptionTarget, added: boolean): string {
  if (!added) return `You already follow ${describeSubscription(target)}; nothing changed.`;
  if (target.kind === 'tag') {
    return target.typed === target.value ? `Added tag \`${target.value}\`.` : `\`${codeSafe(target.typed)}\` matched tag \`${target.value}\`: added.`;
  }
  if (target.kind === 'keyword') {
    return `Added keyword ‘${target.value}’ (not a tag): papers whose title, abstract or TL;DR contain ${target.value.includes(' ') ? 'all these words' : 'it'} will match.`;
  }
  if (target.kind === 'phrase') return `Added phrase “${target.value}”: papers with these words in this order will match.`;
  return `Added author ‘${target.value}’.`;
}
