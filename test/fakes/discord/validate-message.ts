import { badLength, DISCORD_ERRORS, type FakeResponse, fieldError, invalidFormBody, tooLong } from './discord-errors.ts';

type Json = Record<string, unknown>;

/** Discord's message limits (docs message.mdx, "Embed Limits"; components.mdx). */
const LIMITS = { content: 2000, embeds: 10, embedTotal: 6000, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024 } as const;
const MORE = {
  footer: 2048,
  author: 256,
  nonce: 25,
  rows: 5,
  buttons: 5,
  label: 80,
  customId: 100,
  selectOptions: 25,
  optionText: 100,
  placeholder: 150,
} as const;

/**
 * What Discord answers a message body it will not take (a new message, a follow-up, an edit, or
 * an interaction callback's `data`), or null when it takes it. Lengths first (400 Invalid Form
 * Body, 50035, naming the field), then emptiness (50006). An edit checks only what it changes;
 * whether the edited message would be empty is the caller's question (`isEmptyMessage`).
 */
export function refuseMessage(body: Json, options: { readonly edit?: boolean } = {}): FakeResponse | null {
  const invalid = lengthError(body);
  if (invalid) return invalidFormBody(invalid);
  if (!options.edit && isEmptyMessage(body)) return DISCORD_ERRORS.emptyMessage;
  return null;
}

/** No text (Discord trims it), no embed, no component, no file, sticker or poll. */
export function isEmptyMessage(message: Json): boolean {
  const listed = (key: string) => Array.isArray(message[key]) && (message[key] as unknown[]).length > 0;
  const text = typeof message.content === 'string' ? message.content.trim() : '';
  return text === '' && !['embeds', 'components', 'attachments', 'sticker_ids'].some(listed) && message.poll === undefined;
}

function lengthError(body: Json) {
  if (typeof body.content === 'string' && body.content.length > LIMITS.content) return tooLong(['content'], LIMITS.content);
  if (typeof body.nonce === 'string' && body.nonce.length > MORE.nonce) return tooLong(['nonce'], MORE.nonce);
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Json[]) : [];
  if (embeds.length > LIMITS.embeds) return tooLong(['embeds'], LIMITS.embeds);
  for (const [index, embed] of embeds.entries()) {
    const error = embedError(embed, index);
    if (error) return error;
  }
  // Discord's message for this one comes without a field path.
  if (embeds.reduce((sum, embed) => sum + embedLength(embed), 0) > LIMITS.embedTotal) {
    return fieldError(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
  }
  return componentError(Array.isArray(body.components) ? (body.components as Json[]) : []);
}

function embedError(embed: Json, index: number) {
  const at = (...path: (string | number)[]) => ['embeds', index, ...path];
  const checks: [unknown, number, (string | number)[]][] = [
    [embed.title, LIMITS.title, at('title')],
    [embed.description, LIMITS.description, at('description')],
    [(embed.footer as Json | undefined)?.text, MORE.footer, at('footer', 'text')],
    [(embed.author as Json | undefined)?.name, MORE.author, at('author', 'name')],
  ];
  for (const [value, max, path] of checks) if (typeof value === 'string' && value.length > max) return tooLong(path, max);
  const fields = Array.isArray(embed.fields) ? (embed.fields as Json[]) : [];
  if (fields.length > LIMITS.fields) return tooLong(at('fields'), LIMITS.fields);
  for (const [position, field] of fields.entries()) {
    for (const [key, max] of [
      ['name', LIMITS.fieldName],
      ['value', LIMITS.fieldValue],
    ] as const) {
      const value = field[key];
      if (typeof value !== 'string' || value.trim() === '') return fieldError(at('fields', position, key), 'BASE_TYPE_REQUIRED', 'This field is required');
      if (value.length > max) return tooLong(at('fields', position, key), max);
    }
  }
  return null;
}

/** Component types that fill a whole action row: the select menus (string, user, role, mentionable, channel). */
const SELECTS = new Set([3, 5, 6, 7, 8]);

/**
 * Action rows as Discord checks them (docs components.mdx): at most 5 rows; a row holds 1–5
 * buttons or exactly one select (more is `COMPONENT_LAYOUT_WIDTH_EXCEEDED`, "The specified
 * component exceeds the maximum width", on the first one past the width); custom_ids ≤ 100 and
 * unique in the message (`COMPONENT_CUSTOM_ID_DUPLICATED`); a button label ≤ 80; a string select
 * 1–25 options with labels, values and descriptions ≤ 100, distinct values, a placeholder ≤ 150,
 * min_values 0–25 and max_values 1–25, neither above the number of options. Codes and messages
 * as Discord answers them (quoted in public bots' issue logs and a Discord API mock; see
 * test/fixtures/discord/README.md).
 */
function componentError(rows: Json[]) {
  if (rows.length > MORE.rows) return tooLong(['components'], MORE.rows);
  const customIds = new Set<string>();
  for (const [row, actionRow] of rows.entries()) {
    const items = Array.isArray(actionRow.components) ? (actionRow.components as Json[]) : [];
    if (items.length === 0) return fieldError(['components', row, 'components'], 'BASE_TYPE_REQUIRED', 'This field is required');
    const width = items.some((item) => SELECTS.has(Number(item.type))) ? 1 : MORE.buttons;
    if (items.length > width) {
      return fieldError(['components', row, 'components', width], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    }
    for (const [index, item] of items.entries()) {
      const at = (...path: (string | number)[]) => ['components', row, 'components', index, ...path];
      if (typeof item.label === 'string' && item.label.length > MORE.label) return tooLong(at('label'), MORE.label);
      if (typeof item.custom_id === 'string') {
        if (item.custom_id.length > MORE.customId) return tooLong(at('custom_id'), MORE.customId);
        if (customIds.has(item.custom_id)) return fieldError(at('custom_id'), 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
        customIds.add(item.custom_id);
      }
      if (Number(item.type) === 3) {
        const error = selectError(item, at);
        if (error) return error;
      }
    }
  }
  return null;
}

function selectError(select: Json, at: (...path: (string | number)[]) => (string | number)[]) {
  const options = Array.isArray(select.options) ? (select.options as Json[]) : [];
  if (options.length < 1 || options.length > MORE.selectOptions) return badLength(at('options'), 1, MORE.selectOptions);
  if (typeof select.placeholder === 'string' && select.placeholder.length > MORE.placeholder) return tooLong(at('placeholder'), MORE.placeholder);
  const values = new Set<string>();
  for (const [index, option] of options.entries()) {
    for (const key of ['label', 'value', 'description'] as const) {
      const value = option[key];
      if (key !== 'description' && (typeof value !== 'string' || value === ''))
        return fieldError(at('options', index, key), 'BASE_TYPE_REQUIRED', 'This field is required');
      if (typeof value === 'string' && value.length > MORE.optionText) return tooLong(at('options', index, key), MORE.optionText);
    }
    if (values.has(String(option.value))) {
      return fieldError(at('options', index, 'value'), 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'The specified option value is already used');
    }
    values.add(String(option.value));
  }
  const min = select.min_values === undefined ? 1 : Number(select.min_values);
  const max = select.max_values === undefined ? 1 : Number(select.max_values);
  if (min < 0 || min > MORE.selectOptions)
    return fieldError(at('min_values'), 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${MORE.selectOptions}.`);
  if (max < 1 || max > MORE.selectOptions)
    return fieldError(at('max_values'), 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${MORE.selectOptions}.`);
  if (max > options.length || min > options.length)
    return fieldError(at('options'), 'BASE_TYPE_MIN_LENGTH', `Must be ${Math.max(min, max)} or more in length.`);
  return null;
}

/** Discord's count toward the 6,000 total: title, description, field names and values, footer text, author name. */
export function embedLength(embed: Json): number {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim().length : 0);
  const fields = Array.isArray(embed.fields) ? (embed.fields as Json[]) : [];
  return (
    text(embed.title) +
    text(embed.description) +
    fields.reduce((sum, field) => sum + text(field.name) + text(field.value), 0) +
    text((embed.footer as Json | undefined)?.text) +
    text((embed.author as Json | undefined)?.name)
  );
}
