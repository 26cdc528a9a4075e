import { DISCORD_ERRORS, type FakeResponse, fieldError, invalidFormBody, tooLong } from './discord-errors.ts';

type Json = Record<string, unknown>;

/** Discord's message limits (docs message.mdx, "Embed Limits"; components.mdx). */
const LIMITS = { content: 2000, embeds: 10, embedTotal: 6000, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024 } as const;
const MORE = { footer: 2048, author: 256, nonce: 25, rows: 5, buttons: 5, label: 80, customId: 100 } as const;

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

function componentError(rows: Json[]) {
  if (rows.length > MORE.rows) return tooLong(['components'], MORE.rows);
  for (const [row, actionRow] of rows.entries()) {
    const items = Array.isArray(actionRow.components) ? (actionRow.components as Json[]) : [];
    if (items.length > MORE.buttons) return tooLong(['components', row, 'components'], MORE.buttons);
    for (const [index, item] of items.entries()) {
      const at = (key: string) => ['components', row, 'components', index, key];
      if (typeof item.label === 'string' && item.label.length > MORE.label) return tooLong(at('label'), MORE.label);
      if (typeof item.custom_id === 'string' && item.custom_id.length > MORE.customId) return tooLong(at('custom_id'), MORE.customId);
    }
  }
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
