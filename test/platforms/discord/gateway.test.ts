import { once } from 'node:events';
import { Events } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

describe('Discord gateway session', () => {
  let harness: Harness;
  afterEach(async () => {
    // The strict fake refuses what Discord refuses: a test passes only if Discord would have taken every request.
    expect(await harness.close()).toEqual([]);
  });

  it('GIVEN the bot starts THEN it identifies with the Guilds intent only (no privileged intents) and its heartbeats are acknowledged', async () => {
    harness = await startHarness({ heartbeatIntervalMs: 50 });
    await once(harness.fake.gateway, 'heartbeat');
    const GUILDS = 1;
    expect(harness.fake.gateway.identifies).toHaveLength(1);
    expect(harness.fake.gateway.identifies[0]).toMatchObject({ token: harness.fake.token, intents: GUILDS });
    expect(harness.bot.client.guilds.cache.get(harness.fake.guildId)?.name).toBe('LLM Systems Reading Group');
    expect(harness.fake.rest.requests[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', authorized: true });
  });

  it('GIVEN the gateway closes with a resumable code THEN the client resumes the session, and interactions sent meanwhile and after are answered', async () => {
    harness = await startHarness();
    const resumed = once(harness.bot.client, Events.ShardResume);
    const resume = once(harness.fake.gateway, 'resume');
    harness.fake.gateway.disconnect(4000);
    const during = harness.fake.interact('interaction-papers-command');

    const [sent] = (await resume) as [{ session_id: string; seq: number; token: string }];
    expect(sent).toMatchObject({ session_id: 'fake-session-1', token: harness.fake.token });
    await resumed;
    const after = harness.fake.interact('interaction-papers-command');

    await harness.answers(during.token, 1);
    await harness.answers(after.token, 1);
    expect(harness.fake.gateway.identifies).toHaveLength(1);
    expect(harness.port.calls).toHaveLength(2);
  });

  it('GIVEN stop() THEN an answer in progress finishes, and the gateway is closed normally', async () => {
    harness = await startHarness({ deferAfterMs: 0 });
    let release: () => void = () => {};
    harness.port.answer = () => new Promise((resolve) => (release = () => resolve({ text: 'done', private: true })));
    const sent = harness.fake.interact('interaction-papers-command');
    await harness.answers(sent.token, 1);

    const closed = once(harness.fake.gateway, 'close');
    const stopping = harness.bot.stop();
    release();
    await stopping;
    const [, edit] = await harness.answers(sent.token, 2);
    expect(edit?.method).toBe('PATCH');
    expect(await closed).toEqual([1000]);
  });
});
