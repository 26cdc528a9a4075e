import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.ts';
import { FakeDiscord } from '../fakes/discord/fake-discord.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { TEST_ENV } from '../helpers/test-app.ts';

type RegisteredOption = { name: string; type: number; required: boolean; autocomplete: boolean; max_length: number };
type Registered = { name: string; description: string; options?: RegisteredOption[] };

describe('lmsys-papers discord register', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  async function cli(argv: string[], env: Record<string, string> = { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId }) {
    return runCliCaptured(argv, { env: { ...TEST_ENV, DISCORD_API_URL: fake.apiUrl, ...env } });
  }

  it.each([
    ['--guild', ['--guild', '1100000000000000001'], '/applications/1100000000000000100/guilds/1100000000000000001/commands', 'in server 1100000000000000001'],
    ['no --guild', [], '/applications/1100000000000000100/commands', 'globally'],
  ])('GIVEN %s THEN one bulk PUT registers every command of the registry there', async (_label, flags, path, where) => {
    const result = await cli(['discord', 'register', ...flags]);

    const names = COMMANDS.map((command) => command.name);
    expect(result).toEqual({ code: 0, stdout: `registered ${names.length} commands ${where}: ${names.map((name) => `/${name}`).join(', ')}\n`, stderr: '' });
    expect(fake.rest.requests).toHaveLength(1);
    const [put] = fake.rest.requests;
    expect(put).toMatchObject({ method: 'PUT', path, authorized: true });
    // The strict fake validates command JSON as Discord does (names, descriptions, option order, guild-only rules).
    expect(put?.status).toBe(200);
    const body = put?.body as unknown as Registered[];
    expect(body.map((command) => command.name)).toEqual(names);
    expect(body.map((command) => command.description)).toEqual(COMMANDS.map((command) => command.description));
  });

  it('GIVEN the registry THEN options are strings as the commands declare them, autocompleted where the command completes', async () => {
    await cli(['discord', 'register']);
    const body = fake.rest.requests[0]?.body as unknown as Registered[];
    const options = Object.fromEntries(body.map((command) => [command.name, command.options ?? []]));

    expect(options.papers).toEqual([expect.objectContaining({ name: 'query', type: 3, required: false, autocomplete: true, max_length: 500 })]);
    expect(options.subscribe).toEqual([expect.objectContaining({ name: 'what', required: true, autocomplete: true })]);
    expect(options.unsubscribe).toEqual([expect.objectContaining({ name: 'what', required: true, autocomplete: true })]);
    expect(options.digest).toEqual([expect.objectContaining({ name: 'setting', autocomplete: true })]);
    expect(options.subscriptions).toEqual([]);
    for (const command of COMMANDS) {
      const flags = (options[command.name] ?? []).map((option) => option.autocomplete);
      expect(flags).toEqual(command.options.map((option) => Boolean(command.complete) && option.autocomplete !== null));
    }
  });

  it.each([
    ['no token', ['discord', 'register'], { DISCORD_APPLICATION_ID: '1100000000000000100' }, /needs DISCORD_TOKEN and DISCORD_APPLICATION_ID/],
    ['no application id', ['discord', 'register'], { DISCORD_TOKEN: 'token' }, /needs DISCORD_TOKEN and DISCORD_APPLICATION_ID/],
    ['a guild id that is not one', ['discord', 'register', '--guild', 'my-server'], undefined, /--guild expects a server id .* got "my-server"/],
    ['another action', ['discord', 'unregister'], undefined, /the only discord action is register\nusage: lmsys-papers discord register \[--guild ID\]/],
  ])('GIVEN %s THEN it exits 2 with a message saying what to fix, and Discord is not called', async (_label, argv, env, message) => {
    const result = await cli(argv, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fake.rest.requests).toHaveLength(0);
  });

  it.each([
    ['the token is rejected', { status: 401, body: { message: '401: Unauthorized', code: 0 } }, /^Discord rejected DISCORD_TOKEN/],
    ['the bot was not invited with the commands scope', { status: 403, body: { message: 'Missing Access', code: 50001 } }, /applications\.commands scope/],
  ])('GIVEN %s THEN it exits 2 and says what to do', async (_label, response, message) => {
    fake.rest.fail('PUT', /commands$/, response);
    const result = await cli(['discord', 'register', '--guild', '1100000000000000001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('GIVEN DISCORD_API_URL where nothing listens THEN it exits 1 saying it cannot reach Discord, naming DISCORD_API_URL', async () => {
    const url = fake.apiUrl;
    await fake.close();
    const result = await cli(['discord', 'register'], { DISCORD_API_URL: url, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId });
    fake = await FakeDiscord.start();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^lmsys-papers discord failed: cannot reach Discord at ${url} \\(connect ECONNREFUSED [^)]+\\); check DISCORD_API_URL and the network\n`),
    );
  });
});
