import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { SHAREABLE_COMMANDS } from '../../../src/platforms/slack/handle-slash-command.ts';
import { ACTION_IDS } from '../../../src/platforms/slack/reply-buttons.ts';

const manifest = readFileSync(new URL('../../../slack/manifest.yaml', import.meta.url), 'utf8');

type ManifestCommand = { command: string; description: string; usage_hint?: string; should_escape?: string };

/** Reads the few fields we check; the file's shape is ours (no YAML parser in the project). */
function readManifest(text: string) {
  const commands: ManifestCommand[] = [];
  for (const match of text.matchAll(/^ {4}- command: (\S+)\n((?: {6}\S.*\n)*)/gm)) {
    const fields = Object.fromEntries([...(match[2] ?? '').matchAll(/^ {6}(\w+): (.*)$/gm)].map((field) => [field[1], unquote(field[2] ?? '')]));
    commands.push({ command: match[1] as string, ...fields } as ManifestCommand);
  }
  const botScopes = /^ {4}bot:\n((?: {6}(?:- \S+|#.*)\n)*)/m.exec(text)?.[1] ?? '';
  const scopes = [...botScopes.matchAll(/^ {6}- (\S+)$/gm)].map((match) => match[1]);
  return {
    commands,
    scopes,
    socketMode: /^ {2}socket_mode_enabled: true$/m.test(text),
    interactivity: /^ {2}interactivity:\n(?: {4}#.*\n)* {4}is_enabled: true$/m.test(text),
  };
}

function unquote(value: string): string {
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replaceAll("''", "'");
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  return value;
}

describe('slack/manifest.yaml', () => {
  const read = readManifest(manifest);

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
    // commands: slash commands · chat:write: chat.postMessage · im:write: conversations.open · users:read: users.info
    expect(read.scopes).toEqual(['commands', 'chat:write', 'im:write', 'users:read']);
  });

  it('GIVEN the buttons and the default mode THEN interactivity and Socket Mode are on', () => {
    expect(Object.keys(ACTION_IDS)).toHaveLength(3);
    expect(read.interactivity).toBe(true);
    expect(read.socketMode).toBe(true);
  });
});
