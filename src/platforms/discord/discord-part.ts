import { commandServices } from '../../../commands/command.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { ServePart } from '../../cli/serve-part.ts';
import { createDiscordMessenger } from './discord-messenger.ts';
import { createDiscordRest } from './discord-rest.ts';
import { registryPort } from './registry-port.ts';
import { discordCredentials, startDiscordBot } from './start-discord-bot.ts';

/**
 * The Discord bot in `serve`: the command core's commands over interactions, and the messenger the
 * daily delivery posts digests and alert DMs through. Not started without DISCORD_TOKEN and
 * DISCORD_APPLICATION_ID; a ConfigError with only one of them. A one-shot `digest` (mode
 * `deliver`) sends over REST alone, without logging in to the gateway. The stop signal ends a
 * start still connecting (the part is then not started) and cuts waits in sends under way.
 */
export const discordPart: ServePart = {
  name: 'discord',
  async start({ app, mode, signal }) {
    if (mode === 'deliver') {
      const credentials = discordCredentials(app.config);
      if (!credentials) return null;
      const rest = createDiscordRest(app.config.DISCORD_API_URL, credentials.token, signal);
      return { messenger: createDiscordMessenger({ rest, log: app.log.child({ module: 'discord' }), signal }), stop: async () => undefined };
    }
    try {
      const bot = await startDiscordBot(app, registryPort(COMMANDS, commandServices(app), app.now), signal);
      if (!bot) return null;
      return { messenger: bot.messenger, stop: () => bot.stop() };
    } catch (error) {
      if (!signal.aborted) throw error;
      app.log.child({ module: 'discord' }).info('discord bot start cancelled: the service is stopping');
      return null;
    }
  },
};
