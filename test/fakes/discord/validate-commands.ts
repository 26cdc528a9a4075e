import { badLength, type FakeResponse, type FormErrors, fieldError, invalidFormBody, tooLong } from './discord-errors.ts';

type Json = Record<string, unknown>;

/** docs application-commands.mdx, "Application Command Naming". */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const CHAT_INPUT = 1;
const STRING = 3;
const MAX_COMMANDS = 100;
const MAX_OPTIONS = 25;
const MAX_COMMAND_SIZE = 8000;

/**
 * What Discord answers a bulk overwrite of commands it will not take, or null. Checked as the docs
 * state them: names match the naming regex and are lowercase (chat input), descriptions 1–100,
 * at most 25 options with required ones first, string `max_length` 1–6000, no choices with
 * autocomplete, 8,000 characters per command, and `contexts`/`integration_types` only on global
 * commands ("Guild commands don't support the BOT_DM interaction context").
 */
export function refuseCommands(body: unknown, options: { readonly guild: boolean }): FakeResponse | null {
  if (!Array.isArray(body)) return invalidFormBody(fieldError([], 'BASE_TYPE_ARRAY', 'Must be an array.'));
  if (body.length > MAX_COMMANDS) return invalidFormBody(tooLong([], MAX_COMMANDS));
  for (const [index, command] of (body as Json[]).entries()) {
    const error = commandError(command, options.guild);
    if (error) return invalidFormBody({ [String(index)]: error });
    if (commandSize(command) > MAX_COMMAND_SIZE) {
      // The fixture error-invalid-form-body-command-too-large.json: a top-level error, no field path.
      return invalidFormBody(fieldError([], 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${MAX_COMMAND_SIZE})`));
    }
  }
  return null;
}

function commandError(command: Json, guild: boolean): FormErrors | null {
  const chatInput = (command.type ?? CHAT_INPUT) === CHAT_INPUT;
  const named = nameError(command.name, [], chatInput) ?? descriptionError(command.description, [], chatInput);
  if (named) return named;
  if (guild && command.contexts !== undefined && command.contexts !== null) {
    return fieldError(
      ['contexts'],
      'GUILD_COMMAND_CONTEXTS',
      "Guild commands don't support interaction contexts; contexts are only for globally-scoped commands",
    );
  }
  if (guild && command.integration_types !== undefined && command.integration_types !== null) {
    return fieldError(['integration_types'], 'GUILD_COMMAND_INTEGRATION_TYPES', 'integration_types are only for globally-scoped commands');
  }
  const options = Array.isArray(command.options) ? (command.options as Json[]) : [];
  if (options.length > MAX_OPTIONS) return tooLong(['options'], MAX_OPTIONS);
  const firstOptional = options.findIndex((option) => option.required !== true);
  if (firstOptional >= 0 && options.slice(firstOptional).some((option) => option.required === true)) {
    return fieldError(['options'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
  }
  for (const [index, option] of options.entries()) {
    const error = optionError(option, ['options', index]);
    if (error) return error;
  }
  return null;
}

function optionError(option: Json, at: (string | number)[]): FormErrors | null {
  const named = nameError(option.name, at, true) ?? descriptionError(option.description, at, true);
  if (named) return named;
  if (option.type === STRING && option.max_length !== undefined) {
    const max = option.max_length;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 6000) {
      return fieldError([...at, 'max_length'], 'NUMBER_TYPE_MAX', 'int value should be between 1 and 6000.');
    }
  }
  if (option.autocomplete === true && Array.isArray(option.choices) && option.choices.length > 0) {
    return fieldError([...at, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE', 'Autocomplete cannot be enabled on options with choices');
  }
  return null;
}

function nameError(name: unknown, at: (string | number)[], lowercase: boolean): FormErrors | null {
  if (typeof name !== 'string' || name.length < 1 || name.length > 32) return badLength([...at, 'name'], 1, 32);
  if (!NAME.test(name)) return fieldError([...at, 'name'], 'STRING_TYPE_REGEX', `String value did not match validation regex.`);
  if (lowercase && name !== name.toLowerCase()) return fieldError([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  return null;
}

function descriptionError(description: unknown, at: (string | number)[], chatInput: boolean): FormErrors | null {
  if (!chatInput) return null;
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) return badLength([...at, 'description'], 1, 100);
  return null;
}

/** The characters Discord counts toward a command's 8,000: names, descriptions and choice values, all levels. */
function commandSize(node: Json): number {
  const own = ['name', 'description', 'value'].reduce((sum, key) => sum + (typeof node[key] === 'string' ? (node[key] as string).length : 0), 0);
  const children = [...(Array.isArray(node.options) ? node.options : []), ...(Array.isArray(node.choices) ? node.choices : [])] as Json[];
  return own + children.reduce((sum, child) => sum + commandSize(child), 0);
}
