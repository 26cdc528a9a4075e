import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import { UserError } from '../../domain/errors.ts';
import { applicationCommands } from './application-commands.ts';
import type { SlashCommand } from './command-port.ts';
import { explainUnreachable } from './explain-unreachable.ts';

export type RegisteredCommand = { readonly id: string; readonly name: string };

/**
 * Replaces the application's commands with ours (PUT is a bulk overwrite: removed commands go).
 * Guild commands appear at once and suit development; global ones reach every server and DM.
 * Refusals an operator can fix (token, application id, server, invite scope) become UserErrors
 * that say what to do; Discord out of reach names DISCORD_API_URL.
 */
export async function registerCommands(rest: REST, applicationId: string, commands: readonly SlashCommand[], guildId?: string): Promise<RegisteredCommand[]> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  try {
    const registered = (await rest.put(route, { body: applicationCommands(commands, guildId ? 'guild' : 'global') })) as RegisteredCommand[];
    return registered.map(({ id, name }) => ({ id, name }));
  } catch (error) {
    throw explain(error, guildId, rest.options.api);
  }
}

function explain(error: unknown, guildId: string | undefined, apiUrl: string): unknown {
  if (!(error instanceof DiscordAPIError)) return explainUnreachable(error, apiUrl);
  if (error.status === 401) return new UserError('Discord rejected DISCORD_TOKEN: copy the bot token again from the Developer Portal (Bot → Reset Token).');
  if (error.code === RESTJSONErrorCodes.MissingAccess) {
    const where = guildId ? `server ${guildId}` : 'this application';
    return new UserError(`Discord refused access to ${where}: invite the bot with the applications.commands scope, and check DISCORD_APPLICATION_ID.`);
  }
  if (error.code === RESTJSONErrorCodes.UnknownGuild) return new UserError(`Discord does not know server ${guildId}: check the id, and that the bot is in it.`);
  if (error.code === RESTJSONErrorCodes.UnknownApplication) {
    return new UserError('Discord does not know DISCORD_APPLICATION_ID: copy the Application ID from the Developer Portal (General Information).');
  }
  return error;
}
