import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Command, commandServices, textOption } from '../../../commands/command.ts';
import { SOMETHING_WENT_WRONG } from '../../../commands/run-command.ts';
import type { App } from '../../../src/app.ts';
import { UserError } from '../../../src/domain/errors.ts';
import type { DiscordCaller } from '../../../src/platforms/discord/command-port.ts';
import { registryPort, slashCommands } from '../../../src/platforms/discord/registry-port.ts';
import { fixedClock, openTestApp } from '../../helpers/test-app.ts';

const caller: DiscordCaller = {
  platform: 'discord',
  userId: '1100000000000001000',
  displayName: 'Ada',
  channelId: '1100000000000000010',
  canAdministerChannel: false,
  timeZone: null,
};

const echo: Command = {
  name: 'echo',
  aliases: ['say'],
  description: 'Says it back',
  usage: '<text>',
  examples: [],
  options: [textOption('text', 'What to say', 'query', true), textOption('note', 'Ignored', null)],
  async run(ctx, input) {
    if (input.text === 'mistake') throw new UserError('That was a mistake.');
    if (input.text === 'bug') throw new Error('SQLITE_CORRUPT');
    return { text: `${ctx.caller.displayName}: ${input.text}${input.cursor ? ` @${input.cursor}` : ''}`, private: true };
  },
  async complete(_ctx, partial) {
    return [`${partial}!`];
  },
};
const plain: Command = { ...echo, name: 'plain', aliases: [], complete: undefined };

describe('the command registry behind the Discord port', () => {
  let app: App;
  beforeAll(async () => {
    app = await openTestApp({}, { now: fixedClock('2025-12-19T01:30:00Z').now });
  });
  afterAll(() => app.close());

  const port = () => registryPort([echo, plain], commandServices(app), app.now);

  it('GIVEN commands THEN options autocomplete only where the command completes and the option asks for it', () => {
    expect(slashCommands([echo, plain]).map((command) => [command.name, command.options.map((option) => option.autocomplete)])).toEqual([
      ['echo', [true, false]],
      ['plain', [false, false]],
    ]);
  });

  it.each([
    ['a call', 'echo', { text: 'hi' }, { text: 'Ada: hi', private: true }],
    ['a page', 'echo', { text: '', cursor: 'c2' }, { text: 'Ada:  @c2', private: true }],
    ['an alias', 'say', { text: 'hi' }, { text: 'Ada: hi', private: true }],
    ['a mistake', 'echo', { text: 'mistake' }, { text: 'That was a mistake.', private: true }],
    ['a bug', 'echo', { text: 'bug' }, { text: SOMETHING_WENT_WRONG, private: true }],
    ['a command no longer offered', 'gone', { text: 'hi' }, { text: expect.stringMatching(/^This command is no longer offered/), private: true }],
  ])('GIVEN %s THEN the port answers with the Reply the core gives', async (_label, name, input, expected) => {
    expect(await port().run(name, caller, input)).toEqual(expected);
  });

  it.each([
    ['echo', ['Mo!']],
    ['plain', []],
    ['gone', []],
  ])('GIVEN autocomplete for %s THEN suggestions come from its complete, or none', async (name, expected) => {
    expect(await port().complete(name, caller, 'Mo')).toEqual(expected);
  });
});
