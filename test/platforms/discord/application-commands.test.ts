import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { applicationCommands } from '../../../src/platforms/discord/application-commands.ts';

describe('application command registration JSON', () => {
  it('GIVEN global commands THEN each is a chat-input command for servers and DMs, with string options, required ones first, autocomplete where offered', () => {
    const [command] = applicationCommands(
      [
        {
          name: 'subscribe',
          description: 'Get alerts for a tag',
          options: [
            { name: 'note', description: 'Optional note', required: false, autocomplete: false, maxLength: 100 },
            { name: 'what', description: 'A tag, keyword or author', required: true, autocomplete: true, maxLength: 9000 },
          ],
        },
      ],
      'global',
    );
    expect(command).toMatchObject({
      type: ApplicationCommandType.ChatInput,
      name: 'subscribe',
      description: 'Get alerts for a tag',
      contexts: [0, 1],
      integration_types: [0],
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'what',
          description: 'A tag, keyword or author',
          required: true,
          autocomplete: true,
          max_length: 6000,
        },
        { type: ApplicationCommandOptionType.String, name: 'note', required: false, autocomplete: false, max_length: 100 },
      ],
    });
  });

  it('GIVEN guild commands THEN they carry no contexts or integration types (only global commands may)', () => {
    const [command] = applicationCommands([{ name: 'papers', description: 'Search the paper archive', options: [] }], 'guild');
    expect(command).toMatchObject({ name: 'papers' });
    const sent = JSON.parse(JSON.stringify(command));
    expect(sent).not.toHaveProperty('contexts');
    expect(sent).not.toHaveProperty('integration_types');
  });

  it('GIVEN a name Discord would refuse THEN building the registration fails before anything is sent', () => {
    expect(() => applicationCommands([{ name: 'Papers Search', description: 'x', options: [] }], 'global')).toThrow();
  });
});
