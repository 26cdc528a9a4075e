import { describeSubscription, type Subscription } from '../src/domain/subscription.ts';

/** "tags `MoE`, `serving`; keyword ‘speculative decoding’; author ‘Song Han’" — or null when there are none. */
export function listFollowed(subscriptions: readonly Subscription[]): string | null {
  if (subscriptions.length === 0) return null;
  const groups: string[] = [];
  const tags = subscriptions.filter((subscription) => subscription.kind === 'tag');
  if (tags.length) groups.push(`${tags.length === 1 ? 'tag' : 'tags'} ${tags.map((tag) => `\`${tag.value}\``).join(', ')}`);
  for (const subscription of subscriptions) if (subscription.kind !== 'tag') groups.push(describeSubscription(subscription));
  return groups.join('; ');
}

/** The closing line of every subscription reply: the whole list after the change. */
export function nowFollowing(subscriptions: readonly Subscription[]): string {
  const list = listFollowed(subscriptions);
  return list ? `You now follow: ${list}.` : 'You follow nothing now. Add something with `/subscribe MoE` or `/subscribe speculative decoding`.';
}
