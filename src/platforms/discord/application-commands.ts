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

/**
 * The registration JSON for our commands: chat-input commands with string options (descriptions,
 * required flags, autocomplete, max length), usable in servers and in DMs with the bot. Built with
 * discord.js's builders, which reject names and descriptions Discord would refuse.
 */
export function applicationCommands(commands: readonly SlashCommand[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => {
    const builder = new SlashCommandBuilder()
      .setName(command.name)
      .setDescription(command.description)
      .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
      .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
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
