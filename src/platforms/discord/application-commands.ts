import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from 'discord.js';
import type { SlashCommand, SlashOption } from './command-port.ts';

/** Discord caps a string option's max_length at 6,000. */
const MAX_OPTION_LENGTH = 6000;

/** Where commands are registered: everywhere the app is installed, or one server (they appear at once; for development). */
export type CommandScope = 'global' | 'guild';

/**
 * The registration JSON for our commands: chat-input commands with string options (descriptions,
 * required flags, autocomplete, max length). Global commands say where they work (servers and DMs
 * with the bot, for a server install); guild commands cannot: `contexts` and `integration_types`
 * are only for globally-scoped commands, and a guild command never reaches a DM. Built with
 * discord.js's builders, which reject names and descriptions Discord would refuse.
 */
export function applicationCommands(commands: readonly SlashCommand[], scope: CommandScope): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => {
    const builder = new SlashCommandBuilder().setName(command.name).setDescription(command.description);
    if (scope === 'global') {
      builder.setContexts(InteractionContextType.Guild, InteractionContextType.BotDM).setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
    }
    // Discord wants required options before optional ones.
    const options = [...command.options].sort((a, b) => Number(b.required) - Number(a.required));
    for (const option of options) builder.addStringOption((string) => stringOption(string, option));
    return builder.toJSON();
  });
}

function stringOption(string: SlashCommandStringOption, option: SlashOption): SlashCommandStringOption {
  return string
    .setName(option.name)
    .setDescription(option.description)
    .setRequired(option.required)
    .setAutocomplete(option.autocomplete)
    .setMaxLength(Math.min(option.maxLength, MAX_OPTION_LENGTH));
}
