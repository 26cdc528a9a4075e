import type { App } from '../../app.ts';
import { type Config, ConfigError } from '../../config.ts';
import { cacheActionStore } from './action-store.ts';
import type { CommandPort } from './command-port.ts';
import { type DiscordBot, startDiscord } from './start-discord.ts';

/**
 * The Discord bot of `lmsys-papers serve`: started when DISCORD_TOKEN and DISCORD_APPLICATION_ID
 * are both set, null when neither is. One without the other is a ConfigError: the operator meant
 * to run the bot, and a server that quietly runs without it would hide that. Button payloads live
 * in the archive's cache (Keyv namespace `discord-actions`), so buttons outlive a restart.
 */
export async function startDiscordBot(app: App, port: CommandPort, signal?: AbortSignal): Promise<DiscordBot | null> {
  const credentials = discordCredentials(app.config);
  if (!credentials) return null;
  const { token, applicationId } = credentials;
  const log = app.log.child({ module: 'discord' });
  const bot = await startDiscord({
    apiUrl: app.config.DISCORD_API_URL,
    token,
    adminRoleId: app.config.DISCORD_ADMIN_ROLE,
    port,
    store: cacheActionStore(app.cache('discord-actions')),
    log,
    signal,
  });
  // Commands registered for another application never reach this bot: say so instead of staying silent.
  const actual = bot.client.application?.id;
  if (actual && actual !== applicationId) log.warn({ configured: applicationId, actual }, 'DISCORD_APPLICATION_ID is not the application of DISCORD_TOKEN');
  return bot;
}

/** DISCORD_TOKEN and DISCORD_APPLICATION_ID; null when neither is set, a ConfigError when one is. */
export function discordCredentials(config: Config): { readonly token: string; readonly applicationId: string } | null {
  const { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId } = config;
  if (!token && !applicationId) return null;
  if (!token || !applicationId) {
    const [set, missing] = token ? ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'] : ['DISCORD_APPLICATION_ID', 'DISCORD_TOKEN'];
    throw new ConfigError(`${set} is set but ${missing} is not: the Discord bot needs both (see the README, Discord). Set it, or unset ${set}.`);
  }
  return { token, applicationId };
}
