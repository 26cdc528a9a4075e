import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../commands/command.ts';
import { runCommand } from '../../commands/run-command.ts';
import { subscribeCommand } from '../../commands/subscribe.ts';
import { subscriptionsCommand } from '../../commands/subscriptions.ts';
import { unsubscribeCommand } from '../../commands/unsubscribe.ts';
import type { App } from '../../src/app.ts';
import { MAX_SUBSCRIPTIONS_PER_USER } from '../../src/domain/subscription.ts';
import { commandContext } from '../helpers/command-context.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const alice: Partial<Caller> = { platform: 'slack', userId: 'U1', displayName: 'Alice' };
const bob: Partial<Caller> = { platform: 'slack', userId: 'U2', displayName: 'Bob' };
const aliceOnDiscord: Partial<Caller> = { platform: 'discord', userId: 'U1', displayName: 'Alice' };

describe('/subscribe, /unsubscribe, /subscriptions', () => {
  let app: App;
  const as = (who: Partial<Caller>) => ({
    subscribe: async (text: string) => (await runCommand(subscribeCommand, commandContext(app, who), { text })).text,
    unsubscribe: async (text: string) => (await runCommand(unsubscribeCommand, commandContext(app, who), { text })).text,
    list: async () => (await runCommand(subscriptionsCommand, commandContext(app, who), { text: '' })).text,
  });

  beforeEach(async () => {
    app = await openTestApp({}, { now: fixedClock('2025-12-19T01:30:00Z').now });
  });
  afterEach(() => app.close());

  it('GIVEN a tag synonym THEN the reply says what it matched and what the person now follows', async () => {
    expect(await as(alice).subscribe('moe')).toBe('`moe` matched tag `MoE`: added.\nYou now follow: tag `MoE`.');
    expect(await as(alice).subscribe('serving')).toBe('Added tag `serving`.\nYou now follow: tags `MoE`, `serving`.');
  });

  it('GIVEN words that are not a tag THEN they become a keyword and the reply says so', async () => {
    expect(await as(alice).subscribe('speculative decoding')).toBe(
      'Added keyword ‘speculative decoding’ (not a tag): papers whose title, abstract or TL;DR contain all these words will match.\n' +
        'You now follow: keyword ‘speculative decoding’.',
    );
  });

  it('GIVEN a phrase and an author in one go THEN both are added', async () => {
    const text = await as(alice).subscribe('"kv cache" author:Song Han');
    expect(text).toBe(
      'Added phrase “kv cache”: papers with these words in this order will match.\nAdded author ‘Song Han’.\nYou now follow: phrase “kv cache”; author ‘Song Han’.',
    );
  });

  it('GIVEN a duplicate THEN nothing changes and the note is friendly', async () => {
    await as(alice).subscribe('MoE');
    expect(await as(alice).subscribe('mixture of experts')).toBe('You already follow tag `MoE`; nothing changed.\nYou now follow: tag `MoE`.');
  });

  it('GIVEN two users and two platforms THEN each only ever sees and changes their own', async () => {
    await as(alice).subscribe('MoE');
    await as(bob).subscribe('MoE');
    await as(aliceOnDiscord).subscribe('serving');
    expect(await as(bob).unsubscribe('MoE')).toBe(
      'Removed tag `MoE`.\nYou follow nothing now. Add something with `/subscribe MoE` or `/subscribe speculative decoding`.',
    );
    expect(await as(alice).list()).toMatch(/^You follow 1 of at most 100: tag `MoE`\./);
    expect(await as(aliceOnDiscord).list()).toMatch(/^You follow 1 of at most 100: tag `serving`\./);
    expect(await as(aliceOnDiscord).unsubscribe('MoE')).toBe('You do not follow tag `MoE`.\nYou now follow: tag `serving`.');
    expect(await as(aliceOnDiscord).unsubscribe('all')).toBe('Removed all 1 of your subscriptions. You follow nothing now.');
    expect(await as(alice).list()).toMatch(/tag `MoE`/);
  });

  it('GIVEN unsubscribe of a keyword, a phrase and an author THEN each is removed by what was typed', async () => {
    await as(alice).subscribe('speculative decoding');
    await as(alice).subscribe('"KV cache"');
    await as(alice).subscribe('author:Song Han');
    expect(await as(alice).unsubscribe('Speculative Decoding')).toMatch(/^Removed keyword ‘speculative decoding’\./);
    expect(await as(alice).unsubscribe('"kv cache"')).toMatch(/^Removed phrase “KV cache”\./);
    expect(await as(alice).unsubscribe('author:song han')).toBe(
      'Removed author ‘Song Han’.\nYou follow nothing now. Add something with `/subscribe MoE` or `/subscribe speculative decoding`.',
    );
  });

  it('GIVEN no input THEN each command explains what it needs', async () => {
    expect(await as(alice).subscribe('')).toMatch(/^What should I follow\? For example `\/subscribe MoE`/);
    expect(await as(alice).subscribe('🚀')).toMatch(/^What should I follow\?/);
    expect(await as(alice).unsubscribe('')).toBe('You follow nothing, so there is nothing to remove.');
    expect(await as(alice).list()).toMatch(/^You follow nothing yet\. Try `\/subscribe MoE`/);
    await as(alice).subscribe('MoE');
    expect(await as(alice).unsubscribe(' ')).toBe('What should I remove? You follow: tag `MoE`. Or `/unsubscribe all`.');
  });

  it('GIVEN the limit THEN one more is refused and nothing of that request is added', async () => {
    for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_USER; index++) await as(alice).subscribe(`"word${index}"`);
    expect(await as(alice).subscribe('MoE serving')).toMatch(/^You can follow at most 100 things; you follow 100\./);
    expect(await as(alice).list()).not.toMatch(/`MoE`/);
    expect(await as(alice).subscribe('"word1"')).toMatch(/^You already follow phrase “word1”/);
  });

  it('GIVEN a partial input THEN unsubscribe autocompletes the person’s own subscriptions only', async () => {
    await as(alice).subscribe('MoE');
    await as(alice).subscribe('"kv cache"');
    await as(bob).subscribe('serving');
    expect(await unsubscribeCommand.complete?.(commandContext(app, alice), '')).toEqual(['MoE', '"kv cache"', 'all']);
    expect(await unsubscribeCommand.complete?.(commandContext(app, alice), 'kv')).toEqual(['"kv cache"']);
  });
});
