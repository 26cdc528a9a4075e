import { commandServices } from '../../../commands/command.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { ServePart } from '../../cli/serve-part.ts';
import { registryPort } from './registry-port.ts';
import { startDiscordBot } from './start-discord-bot.ts';

/**
 * The Discord bot in `serve`: the command core's commands over interactions, and the messenger the
 * daily delivery posts digests and alert DMs through. Not started without DISCORD_TOKEN and
 * DISCORD_APPLICATION_ID; a ConfigError with only one of them.
 */
export const discordPart: ServePart = {
  name: 'discord',
  async start({ app }) {
    const bot = await startDiscordBot(app, registryPort(COMMANDS, commandServices(app), app.now));
    if (!bot) return null;
    return { messenger: bot.messenger, stop: () => bot.stop() };
  },
};
