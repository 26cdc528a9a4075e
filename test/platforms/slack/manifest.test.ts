import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { SHAREABLE_COMMANDS } from '../../../src/platforms/slack/handle-slash-command.ts';
import { ACTION_IDS } from '../../../src/platforms/slack/reply-buttons.ts';
import { readSlackManifest } from '../../fakes/slack-manifest.ts';

describe('slack/manifest.yaml', () => {
  const read = readSlackManifest();

  it('GIVEN the manifest THEN it declares exactly the commands of the registry, in its order', () => {
    expect(read.commands.map((command) => command.command)).toEqual(COMMANDS.map((command) => `/${command.name}`));
  });

  it.each(COMMANDS.map((command) => [command.name, command] as const))(
    'GIVEN /%s THEN the manifest shows the registry’s description and usage (plus [public] where the answer can be shared)',
    (name, command) => {
      const declared = read.commands.find((entry) => entry.command === `/${name}`);
      const usage = SHAREABLE_COMMANDS.has(name) ? `${command.usage} [public]` : command.usage;
      expect(declared?.description).toBe(command.description);
      expect(declared?.usage_hint).toBe(usage || undefined);
    },
  );

  it('GIVEN each command THEN its name and description fit the registry’s limits and it gets the raw text (should_escape false)', () => {
    for (const command of read.commands) {
      expect(command.command.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(100);
      expect(command.should_escape).toBe('false');
    }
  });

  it('GIVEN the Web API methods the bot calls THEN the manifest grants their scopes, and no others', () => {
    // commands: slash commands · chat:write: chat.postMessage · im:write: conversations.open · users:read: users.info ·
    // channels:history, groups:history, im:history: conversations.history and .replies (finding a delivery after a crash,
    // reading which paper a reacted-to message holds) · reactions:read: the reaction events below
    expect(read.scopes).toEqual(['commands', 'chat:write', 'im:write', 'users:read', 'channels:history', 'groups:history', 'im:history', 'reactions:read']);
  });

  it('GIVEN 👍/👎 reactions as votes THEN the app subscribes to reaction_added and reaction_removed as a bot, and nothing else', () => {
    expect(read.botEvents).toEqual(['reaction_added', 'reaction_removed']);
  });

  it('GIVEN the buttons and the default mode THEN interactivity and Socket Mode are on', () => {
    expect(Object.keys(ACTION_IDS)).toHaveLength(3);
    expect(read.interactivity).toBe(true);
    expect(read.socketMode).toBe(true);
  });
});
