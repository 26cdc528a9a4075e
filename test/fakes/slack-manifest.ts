import { readFileSync } from 'node:fs';

export type ManifestCommand = { command: string; description: string; usage_hint?: string; should_escape?: string };

export type SlackManifest = {
  readonly commands: ManifestCommand[];
  /** The bot scopes the app asks for: what an installed bot token is granted. */
  readonly scopes: string[];
  readonly socketMode: boolean;
  readonly interactivity: boolean;
  /** The Events API events the app subscribes to as a bot (settings.event_subscriptions.bot_events). */
  readonly botEvents: string[];
};

/**
 * Reads the few fields of `slack/manifest.yaml` that tests and the fake Web API use (the file's
 * shape is ours; there is no YAML parser in the project). The fake grants a bot token exactly these
 * scopes, so a method the bot calls without asking for its scope fails in tests as in Slack.
 */
export function readSlackManifest(text = readFileSync(new URL('../../slack/manifest.yaml', import.meta.url), 'utf8')): SlackManifest {
  const commands: ManifestCommand[] = [];
  for (const match of text.matchAll(/^ {4}- command: (\S+)\n((?: {6}\S.*\n)*)/gm)) {
    const fields = Object.fromEntries([...(match[2] ?? '').matchAll(/^ {6}(\w+): (.*)$/gm)].map((field) => [field[1], unquote(field[2] ?? '')]));
    commands.push({ command: match[1] as string, ...fields } as ManifestCommand);
  }
  const botScopes = /^ {4}bot:\n((?: {6}(?:- \S+|#.*)\n)*)/m.exec(text)?.[1] ?? '';
  const scopes = [...botScopes.matchAll(/^ {6}- (\S+)$/gm)].map((match) => match[1] as string);
  const events = /^ {4}bot_events:\n((?: {6}(?:- \S+|#.*)\n)*)/m.exec(text)?.[1] ?? '';
  const botEvents = [...events.matchAll(/^ {6}- (\S+)$/gm)].map((match) => match[1] as string);
  return {
    commands,
    scopes,
    botEvents,
    socketMode: /^ {2}socket_mode_enabled: true$/m.test(text),
    interactivity: /^ {2}interactivity:\n(?: {4}#.*\n)* {4}is_enabled: true$/m.test(text),
  };
}

function unquote(value: string): string {
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replaceAll("''", "'");
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  return value;
}
