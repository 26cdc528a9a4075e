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

  it('GIVEN the bot starts THEN it identifies with Guilds and GuildMessageReactions (no privileged intents) and its heartbeats are acknowledged', async () => {
    harness = await startHarness({ heartbeatIntervalMs: 50 });
    await once(harness.fake.gateway, 'heartbeat');
    const GUILDS = 1;
    const GUILD_MESSAGE_REACTIONS = 1 << 10;
    expect(harness.fake.gateway.identifies).toHaveLength(1);
    expect(harness.fake.gateway.identifies[0]).toMatchObject({ token: harness.fake.token, intents: GUILDS | GUILD_MESSAGE_REACTIONS });
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
    expect(harness.fake.gateway.connections.at(-1)?.server).toBe('resume');
    const after = harness.fake.interact('interaction-papers-command');

    await harness.answers(during.token, 1);
    await harness.answers(after.token, 1);
    expect(harness.fake.gateway.identifies).toHaveLength(1);
    expect(harness.port.calls).toHaveLength(2);
  });

  it('GIVEN op 7 RECONNECT THEN the client resumes at resume_gateway_url, and an interaction sent meanwhile is answered', async () => {
    harness = await startHarness();
    const resumed = once(harness.bot.client, Events.ShardResume);
    harness.fake.gateway.reconnect();
    const during = harness.fake.interact('interaction-papers-command');
    await resumed;

    await harness.answers(during.token, 1);
    expect(harness.fake.gateway.identifies).toHaveLength(1);
    expect(harness.fake.gateway.connections.map((connection) => connection.server)).toEqual(['gateway', 'resume']);
  });

  it.each([
    ['op 9 INVALID SESSION, not resumable', (harness: Harness) => harness.fake.gateway.invalidateSession(false)],
    ['a close with 4009 (session timed out)', (harness: Harness) => harness.fake.gateway.disconnect(4009)],
    ['a close with 4007 (invalid seq)', (harness: Harness) => harness.fake.gateway.disconnect(4007)],
  ])('GIVEN %s THEN the client starts a new session and answers what comes after', async (_label, end) => {
    harness = await startHarness();
    const identified = once(harness.fake.gateway, 'identify');
    end(harness);
    await identified;
    await once(harness.bot.client, Events.ShardReady);

    const after = harness.fake.interact('interaction-papers-command');
    await harness.answers(after.token, 1);
    expect(harness.fake.gateway.sessionId).toBe('fake-session-2');
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
