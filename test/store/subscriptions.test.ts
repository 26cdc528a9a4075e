import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { parseSubscriptionTargets, type Subscriber } from '../../src/domain/subscription.ts';
import { disableChannelDigest, enableChannelDigest, enabledChannelDigests, getChannelDigest } from '../../src/store/channels.ts';
import { addSubscription, allSubscriptions, listSubscriptions, removeAllSubscriptions, removeSubscription } from '../../src/store/subscriptions.ts';
import { openTestApp } from '../helpers/test-app.ts';

const now = '2025-12-19T01:30:00.000Z';
const alice: Subscriber = { platform: 'slack', userId: 'U1' };
const aliceOnDiscord: Subscriber = { platform: 'discord', userId: 'U1' };
const bob: Subscriber = { platform: 'slack', userId: 'U2' };

describe('subscriptions store', () => {
  let app: App;
  const target = (text: string) => {
    const [first] = parseSubscriptionTargets(text, app.vocabulary);
    if (!first) throw new Error(`no target in ${text}`);
    return first;
  };
  beforeEach(async () => {
    app = await openTestApp();
  });
  afterEach(() => app.close());

  it('GIVEN the same subscription twice, in another case THEN the second add is a no-op', async () => {
    expect(await addSubscription(app.db, alice, target('MoE'), now)).toBe(true);
    expect(await addSubscription(app.db, alice, target('moe'), now)).toBe(false);
    expect(await addSubscription(app.db, alice, target('"KV cache"'), now)).toBe(true);
    expect(await addSubscription(app.db, alice, target('"kv cache"'), now)).toBe(false);
    expect((await listSubscriptions(app.db, alice)).map((subscription) => subscription.value)).toEqual(['MoE', 'KV cache']);
  });

  it('GIVEN two users and two platforms THEN each sees and removes only their own', async () => {
    await addSubscription(app.db, alice, target('MoE'), now);
    await addSubscription(app.db, aliceOnDiscord, target('serving'), now);
    await addSubscription(app.db, bob, target('MoE'), now);
    expect((await listSubscriptions(app.db, alice)).map((subscription) => subscription.value)).toEqual(['MoE']);
    expect((await listSubscriptions(app.db, aliceOnDiscord)).map((subscription) => subscription.value)).toEqual(['serving']);
    expect(await removeSubscription(app.db, alice, 'tag', 'moe')).toBe(true);
    expect(await removeSubscription(app.db, alice, 'tag', 'serving')).toBe(false);
    expect(await listSubscriptions(app.db, bob)).toHaveLength(1);
    expect(await removeAllSubscriptions(app.db, aliceOnDiscord)).toBe(1);
    expect((await allSubscriptions(app.db)).map((subscription) => [subscription.platform, subscription.userId])).toEqual([['slack', 'U2']]);
    expect(await allSubscriptions(app.db, 'discord')).toEqual([]);
  });

  it('GIVEN a listing THEN tags come first, then keywords, phrases and authors, each in the order added', async () => {
    for (const text of ['author:Song Han', 'scheduling', 'serving', '"kv cache"', 'MoE']) await addSubscription(app.db, alice, target(text), now);
    expect((await listSubscriptions(app.db, alice)).map((subscription) => `${subscription.kind}:${subscription.value}`)).toEqual([
      'tag:serving',
      'tag:MoE',
      'keyword:scheduling',
      'phrase:kv cache',
      'author:Song Han',
    ]);
  });
});

describe('channel digest store', () => {
  let app: App;
  beforeEach(async () => {
    app = await openTestApp();
  });
  afterEach(() => app.close());

  it('GIVEN a channel turned on, changed and off THEN the row says who did it last, per platform', async () => {
    const editor = { userId: 'U1', displayName: 'Alice' };
    await enableChannelDigest(app.db, { platform: 'slack', channelId: 'C1' }, [], editor, now);
    await enableChannelDigest(app.db, { platform: 'slack', channelId: 'C1' }, ['MoE'], { userId: 'U2', displayName: 'Bob' }, now);
    await enableChannelDigest(app.db, { platform: 'discord', channelId: 'C1' }, [], editor, now);
    expect(await getChannelDigest(app.db, { platform: 'slack', channelId: 'C1' })).toMatchObject({
      enabled: true,
      tags: ['MoE'],
      updatedBy: { displayName: 'Bob' },
    });
    expect(await disableChannelDigest(app.db, { platform: 'slack', channelId: 'C1' }, editor, now)).toBe(true);
    expect(await disableChannelDigest(app.db, { platform: 'slack', channelId: 'C1' }, editor, now)).toBe(false);
    expect(await getChannelDigest(app.db, { platform: 'slack', channelId: 'C1' })).toMatchObject({ enabled: false, updatedBy: { userId: 'U1' } });
    expect((await enabledChannelDigests(app.db)).map((channel) => `${channel.platform}:${channel.channelId}`)).toEqual(['discord:C1']);
  });
});
