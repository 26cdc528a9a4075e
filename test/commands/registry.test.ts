import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpCommand } from '../../commands/help.ts';
import { COMMANDS, findCommand, runCommand } from '../../commands/index.ts';
import type { App } from '../../src/app.ts';
import { commandContext } from '../helpers/command-context.ts';
import { openTestApp } from '../helpers/test-app.ts';

describe('the command registry', () => {
  it('GIVEN the registry THEN it lists the commands of the issues, explicitly (help last)', () => {
    expect(COMMANDS.map((command) => command.name)).toEqual([
      'papers',
      'subscribe',
      'unsubscribe',
      'subscriptions',
      'digest',
      'like',
      'dislike',
      'unvote',
      'feedback',
      'papers-help',
    ]);
  });

  it.each(COMMANDS.map((command) => [command.name, command] as const))(
    'GIVEN /%s THEN adapters can register it on Slack and Discord as described',
    (_name, command) => {
      // Discord: names ^[-_a-z0-9]{1,32}$, descriptions 1–100; Slack: command ≤ 32 characters.
      expect(command.name).toMatch(/^[a-z0-9-]{1,32}$/);
      expect(command.description.length).toBeGreaterThan(10);
      expect(command.description.length).toBeLessThanOrEqual(100);
      for (const option of command.options) {
        expect(option.name).toMatch(/^[a-z0-9_-]{1,32}$/);
        expect(option.description.length).toBeLessThanOrEqual(100);
        expect(option.type).toBe('string');
      }
      expect(command.examples.length).toBeGreaterThan(0);
      for (const example of command.examples) expect(example.split(' ')[0]).toBe(command.name);
    },
  );

  it.each([
    ['papers', 'papers'],
    ['/papers', 'papers'],
    ['PAPERS', 'papers'],
    ['help', 'papers-help'],
    ['/papers-help', 'papers-help'],
  ])('GIVEN %j THEN findCommand finds /%s', (name, expected) => {
    expect(findCommand(COMMANDS, name)?.name).toBe(expected);
  });

  it('GIVEN an unknown name THEN findCommand finds nothing', () => {
    expect(findCommand(COMMANDS, 'frobnicate')).toBeUndefined();
  });
});

describe('/papers-help', () => {
  let app: App;
  beforeAll(async () => {
    app = await openTestApp();
  });
  afterAll(() => app.close());

  it('GIVEN no argument THEN every other command is described with an example, and the query language and tags follow', async () => {
    const { text } = await runCommand(helpCommand, commandContext(app), { text: '' });
    for (const command of COMMANDS.filter((candidate) => candidate !== helpCommand)) {
      expect(text).toContain(`\`/${command.name}`);
      expect(text).toContain(`Example: \`/${command.examples[0]}\``);
    }
    expect(text).toContain('`since 2025-12-01`');
    expect(text).toContain('Tags: `serving` `training`');
  });

  it('GIVEN a command name THEN all its examples are listed', async () => {
    const { text } = await runCommand(helpCommand, commandContext(app), { text: '/subscribe' });
    expect(text.split('\n')).toEqual([
      '`/subscribe <tag | keyword | "phrase" | author:Name>` — Get a direct message when new papers match a tag, keyword, "phrase" or author:Name.',
      'Examples:',
      '• `/subscribe MoE`',
      '• `/subscribe speculative decoding`',
      '• `/subscribe "kv cache"`',
      '• `/subscribe author:Song Han`',
    ]);
  });

  it('GIVEN an unknown command name THEN the overview says so, without echoing markup', async () => {
    const { text } = await runCommand(helpCommand, commandContext(app), { text: '`<@everyone>`' });
    expect(text).toContain('(There is no command “everyone”; these are all of them.)');
  });
});
