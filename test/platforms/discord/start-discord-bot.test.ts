import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, openApp } from '../../../src/app.ts';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { createDiscordRest } from '../../../src/platforms/discord/discord-rest.ts';
import { registerCommands } from '../../../src/platforms/discord/register-commands.ts';
import { startDiscordBot } from '../../../src/platforms/discord/start-discord-bot.ts';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import { captureStream, openTestApp, TEST_ENV } from '../../helpers/test-app.ts';
import { FakeCommandPort } from './fake-command-port.ts';

describe('the Discord bot in the running service', () => {
  let fake: FakeDiscord;
  let app: App | undefined;
  beforeEach(async () => {
    app = undefined;
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await app?.close();
    await fake.close();
  });

  it('GIVEN a token and an application id THEN the bot logs in, answers with buttons kept in the cache, and stop() closes the gateway normally', async () => {
    app = await openTestApp({ DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId });
    const port = new FakeCommandPort();
    port.answer = () => ({ text: 'page 1', private: true, actions: [{ kind: 'more', command: 'papers', cursor: 'next' }] });
    const bot = await startDiscordBot(app, port);
    expect(fake.gateway.identifies).toHaveLength(1);

    const sent = fake.interact('interaction-papers-command');
    const answer = await fake.rest.waitFor((request) => request.path.includes(String(sent.token)));
    const button = JSON.stringify(answer.body).match(/lp:more:([\w-]+)/)?.[1] ?? '';
    expect(await app.cache('discord-actions').get(button)).toEqual({ kind: 'more', command: 'papers', cursor: 'next' });

    const closed = once(fake.gateway, 'close');
    await bot?.stop();
    expect(await closed).toEqual([1000]);
  });

  it("GIVEN an application id that is not the token's application THEN the bot starts and the mismatch is logged", async () => {
    const output = captureStream();
    const config = loadConfig({ ...TEST_ENV, DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: '1100000000000000999' });
    app = await openApp(config, createLogger('warn', output.stream));
    const bot = await startDiscordBot(app, new FakeCommandPort());
    await bot?.stop();

    const [warning] = output
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(warning).toMatchObject({
      msg: 'DISCORD_APPLICATION_ID is not the application of DISCORD_TOKEN',
      configured: '1100000000000000999',
      actual: fake.applicationId,
    });
  });

  it('GIVEN no Discord settings THEN no bot starts and Discord is not called', async () => {
    app = await openTestApp({ DISCORD_API_URL: fake.apiUrl });
    expect(await startDiscordBot(app, new FakeCommandPort())).toBeNull();
    expect(fake.rest.requests).toHaveLength(0);
  });

  it.each([
    ['a token without an application id', { DISCORD_TOKEN: 'token' }, /^DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not/],
    ['an application id without a token', { DISCORD_APPLICATION_ID: '1100000000000000100' }, /^DISCORD_APPLICATION_ID is set but DISCORD_TOKEN is not/],
  ])('GIVEN %s THEN starting fails with a ConfigError naming the missing setting, and Discord is not called', async (_label, env, message) => {
    app = await openTestApp({ DISCORD_API_URL: fake.apiUrl, ...env });
    const started = startDiscordBot(app, new FakeCommandPort());
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(message);
    expect(fake.rest.requests).toHaveLength(0);
  });

  it.each([
    ['a guild', '1100000000000000001', `/applications/1100000000000000100/guilds/1100000000000000001/commands`],
    ['everywhere', undefined, '/applications/1100000000000000100/commands'],
  ])('GIVEN registration for %s THEN one bulk PUT replaces the commands there', async (_label, guildId, path) => {
    const port = new FakeCommandPort();
    const registered = await registerCommands(createDiscordRest(fake.apiUrl, fake.token), fake.applicationId, port.commands, guildId);

    expect(registered.map((command) => command.name)).toEqual(['papers', 'subscribe', 'subscriptions', 'digest']);
    const [put] = fake.rest.requests;
    expect(put).toMatchObject({ method: 'PUT', path, authorized: true, status: 200 });
    expect(((put?.body ?? []) as unknown as { name: string }[]).map((command) => command.name)).toEqual(['papers', 'subscribe', 'subscriptions', 'digest']);
  });
});
