import { type REST, Routes } from 'discord.js';
import { applicationCommands } from './application-commands.ts';
import type { SlashCommand } from './command-port.ts';

export type RegisteredCommand = { readonly id: string; readonly name: string };

/**
 * Replaces the application's commands with ours (PUT is a bulk overwrite: removed commands go).
 * Guild commands appear at once and suit development; global ones reach every server and DM.
 */
export async function registerCommands(rest: REST, applicationId: string, commands: readonly SlashCommand[], guildId?: string): Promise<RegisteredCommand[]> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: applicationCommands(commands) })) as RegisteredCommand[];
  return registered.map(({ id, name }) => ({ id, name }));
}
