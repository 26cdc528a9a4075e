import { COMMANDS } from '../../commands/index.ts';
import { UserError } from '../domain/errors.ts';
import { createDiscordRest } from '../platforms/discord/discord-rest.ts';
import { registerCommands } from '../platforms/discord/register-commands.ts';
import { slashCommands } from '../platforms/discord/registry-port.ts';
import { parseOptions } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers discord register [--guild ID]';
const options = { guild: { type: 'string' } } as const;

/**
 * `discord register`: replaces the application's slash commands with the command core's. With
 * --guild, in that server only (they appear at once: for development); without, globally.
 */
export const discordCommand: CliCommand = {
  name: 'discord',
  usage,
  summary: 'register the slash commands with Discord (--guild ID for one server, else everywhere)',
  help: `
Registers the slash commands (/papers, /subscribe …) with Discord for the application in
DISCORD_APPLICATION_ID, using DISCORD_TOKEN, and replaces what was registered there before.

  --guild ID   in that server only: the commands appear at once (for development). Without it they
               are registered globally, for every server the bot is in.

Example: lmsys-papers discord register --guild 123456789012345678`,
  options,
  maxPositionals: 1,
  checkPositionals(positionals) {
    if (positionals[0] !== 'register' || positionals.length > 1) throw new UserError(`the only discord action is register\nusage: ${usage}`);
  },
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    const guildId = values.guild;
    if (guildId !== undefined && (typeof guildId !== 'string' || !/^\d{17,20}$/.test(guildId))) {
      throw new UserError(
        `--guild expects a server id (a number of 17 to 20 digits: Developer Mode, right-click the server, Copy Server ID), got "${String(guildId)}"`,
      );
    }
    const { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId } = app.config;
    if (!token || !applicationId) throw new UserError('discord register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (see the README, Discord).');
    const rest = createDiscordRest(app.config.DISCORD_API_URL, token);
    const registered = await registerCommands(rest, applicationId, slashCommands(COMMANDS), guildId);
    const names = registered.map((command) => `/${command.name}`).join(', ');
    print(io.stdout, `registered ${registered.length} commands ${guildId ? `in server ${guildId}` : 'globally'}: ${names}`);
    return 0;
  },
};
