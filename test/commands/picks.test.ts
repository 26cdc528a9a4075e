import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../commands/command.ts';
import { runCommand } from '../../commands/run-command.ts';
import { subscribeCommand } from '../../commands/subscribe.ts';
import { subscriptionsCommand } from '../../commands/subscriptions.ts';
import { unsubscribeCommand } from '../../commands/unsubscribe.ts';
import type { App } from '../../src/app.ts';
import { hasPickSubscription } from '../../src/store/person-models.ts';
import { listSubscriptions } from '../../src/store/subscriptions.ts';
import { commandContext } from '../helpers/command-context.ts';
import { consensusPaper, kvPaper, storePapers, voteAll } from '../helpers/readers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const alice: Partial<Caller> = { platform: 'slack', userId: 'U1' };
const atConsole: Partial<Caller> = { platform: 'console', userId: 'console' };

describe('/subscribe picks, /unsubscribe picks', () => {
  let app: App;
  const as = (who: Partial<Caller>) => ({
    subscribe: async (text: string) => (await runCommand(subscribeCommand, commandContext(app, who), { text })).text,
    unsubscribe: async (text: string) => (await runCommand(unsubscribeCommand, commandContext(app, who), { text })).text,
    list: async () => (await runCommand(subscriptionsCommand, commandContext(app, who), { text: '' })).text,
  });

  beforeEach(async () => {
    app = await openTestApp({}, { now: fixedClock('2025-12-19T01:30:00Z').now });
    await storePapers(
      app,
      [...Array.from({ length: 6 }, (_, index) => kvPaper(index + 1)), ...Array.from({ length: 3 }, (_, index) => consensusPaper(index + 101))],
      '2025-12-18',
    );
  });
  afterEach(() => app.close());

  it('GIVEN a person with no votes THEN picks are on, and the reply says how many more 👍 and 👎 they need and how to give them', async () => {
    const text = await as(alice).subscribe('picks');
    expect(text).toContain('“Picked for you” is on: once a day');
    expect(text).toContain('Picks start after 5 more 👍 (relevant) and 3 more 👎 (not relevant) (you have 0 👍 and 0 👎).');
    expect(text).toContain('👍/👎 buttons');
    expect(await hasPickSubscription(app.db, { platform: 'slack', userId: 'U1' })).toBe(true);
    expect(await listSubscriptions(app.db, { platform: 'slack', userId: 'U1' })).toEqual([]);
    expect(await as(atConsole).subscribe('PICKS')).toContain('`/like <arXiv id>`');
  });

  it('GIVEN enough votes THEN the reply says picks come with the next alert; a second /subscribe picks changes nothing', async () => {
    await voteAll(
      app,
      { platform: 'slack', userId: 'U1' },
      Array.from({ length: 5 }, (_, index) => kvPaper(index + 1)),
      Array.from({ length: 3 }, (_, index) => consensusPaper(index + 101)),
    );
    expect(await as(alice).subscribe('picks')).toContain('Your 5 👍 and 3 👎 are enough');
    expect(await as(alice).subscribe('picks')).toMatch(/^“Picked for you” was on already; nothing changed\./);
  });

  it('GIVEN picks on THEN /subscriptions shows them, /unsubscribe picks stops them and keeps the rest, and “all” stops them too', async () => {
    await as(alice).subscribe('MoE');
    await as(alice).subscribe('picks');
    expect(await as(alice).list()).toContain('“Picked for you” is on. Picks start after 5 more 👍');
    expect(await as(alice).unsubscribe('picks')).toMatch(/^“Picked for you” is off/);
    expect(await as(alice).unsubscribe('picks')).toBe('“Picked for you” was not on; nothing changed.');
    expect(await as(alice).list()).not.toContain('Picked for you');
    expect((await listSubscriptions(app.db, { platform: 'slack', userId: 'U1' })).map((subscription) => subscription.value)).toEqual(['MoE']);

    await as(alice).subscribe('picks');
    expect(await as(alice).unsubscribe('all')).toBe('Removed all 1 of your subscriptions and “Picked for you”. You follow nothing now.');
    expect(await hasPickSubscription(app.db, { platform: 'slack', userId: 'U1' })).toBe(false);
  });

  it('GIVEN picks on and nothing else followed THEN /subscriptions still says picks are on', async () => {
    await as(alice).subscribe('picks');
    const text = await as(alice).list();
    expect(text).toContain('You follow nothing yet.');
    expect(text).toContain('“Picked for you” is on.');
  });
});
