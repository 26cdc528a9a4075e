import type { App } from '../../app.ts';
import { cacheActionStore } from './action-store.ts';
import type { CommandPort } from './command-port.ts';
import { type DiscordBot, startDiscord } from './start-discord.ts';

/**
 * The Discord bot of `lmsys-papers serve`: started when DISCORD_TOKEN and DISCORD_APPLICATION_ID
 * are both set, else null (a half configuration is logged, not guessed at). Button payloads live in
 * the archive's cache (Keyv namespace `discord-actions`), so buttons outlive a restart.
 */
export async function startDiscordBot(app: App, port: CommandPort): Promise<DiscordBot | null> {
  const { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId } = app.config;
  const log = app.log.child({ module: 'discord' });
  if (!token || !applicationId) {
    if (token || applicationId)
      log.warn({ missing: token ? 'DISCORD_APPLICATION_ID' : 'DISCORD_TOKEN' }, 'discord needs both a token and an application id; not starting');
    return null;
  }
  return startDiscord({
    apiUrl: app.config.DISCORD_API_URL,
    token,
    adminRoleId: app.config.DISCORD_ADMIN_ROLE,
    port,
    store: cacheActionStore(app.cache('discord-actions')),
    log,
  });
}
