/**
 * Block Kit as Slack checks it when a message is posted (chat.postMessage, a response_url), for the
 * block types and fields this bot could send. The limits are Slack's documented ones
 * (docs.slack.dev/reference/block-kit: 50 blocks, section text 3,000, fields 10 × 2,000, context
 * 1–10 elements, actions 1–25, header 150, button text 75, value 2,000, url 3,000, action_id and
 * block_id 255 and unique; a section's overflow accessory 2–5 options of 75 / 150); the messages copy Slack's (`must be less than 3001 characters
 * [json-pointer:/blocks/0/text/text]`, test/fixtures/slack/webapi/error-invalid_blocks.json).
 */
export type BlockKitVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: 'invalid_blocks'; readonly errors: string[] }
  | { readonly ok: false; readonly error: 'invalid_blocks_format' | 'msg_blocks_too_long' };

/** Where Slack starts answering `msg_blocks_too_long` (undocumented; bolt-js #2867). */
export const BLOCKS_TOO_LONG = 13_000;

type Json = Record<string, unknown>;

export function checkBlocks(raw: string | unknown[]): BlockKitVerdict {
  let blocks: unknown;
  try {
    blocks = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return { ok: false, error: 'invalid_blocks_format' };
  }
  if (!Array.isArray(blocks)) return { ok: false, error: 'invalid_blocks_format' };
  const errors: string[] = [];
  if (blocks.length > 50) errors.push('no more than 50 items allowed [json-pointer:/blocks]');
  const blockIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    checkBlock(block, `/blocks/${index}`, errors);
    const id = isObject(block) ? block.block_id : undefined;
    if (typeof id === 'string') {
      if (blockIds.has(id)) errors.push(`duplicate block_id [json-pointer:/blocks/${index}/block_id]`);
      blockIds.add(id);
    }
  }
  if (errors.length) return { ok: false, error: 'invalid_blocks', errors };
  if (JSON.stringify(blocks).length > BLOCKS_TOO_LONG) return { ok: false, error: 'msg_blocks_too_long' };
  return { ok: true };
}

function checkBlock(block: unknown, at: string, errors: string[]): void {
  if (!isObject(block)) return void errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
  maxLength(block.block_id, 255, `${at}/block_id`, errors);
  if (block.type === 'section') checkSection(block, at, errors);
  else if (block.type === 'context')
    checkElements(block.elements, 1, 10, `${at}/elements`, errors, (element, where) => checkText(element, where, 3000, errors));
  else if (block.type === 'actions') checkActions(block, at, errors);
  else if (block.type === 'header') checkText(block.text, `${at}/text`, 150, errors, 'plain_text');
  else if (block.type !== 'divider') errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
}

function checkSection(block: Json, at: string, errors: string[]): void {
  if (block.text === undefined && block.fields === undefined) return void errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
  if (block.text !== undefined) checkText(block.text, `${at}/text`, 3000, errors);
  if (block.fields !== undefined) checkElements(block.fields, 1, 10, `${at}/fields`, errors, (field, where) => checkText(field, where, 2000, errors));
  if (block.accessory !== undefined) checkAccessory(block.accessory, `${at}/accessory`, errors);
}

/**
 * A section's accessory, of the kinds this bot could send: a button, or an overflow menu
 * (docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element: 2–5 options, each a
 * plain_text label ≤ 75 and a value ≤ 150; action_id ≤ 255).
 */
function checkAccessory(element: unknown, at: string, errors: string[]): void {
  if (!isObject(element)) return void errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
  maxLength(element.action_id, 255, `${at}/action_id`, errors);
  if (element.type === 'button') {
    checkText(element.text, `${at}/text`, 75, errors, 'plain_text');
    maxLength(element.value, 2000, `${at}/value`, errors);
    return;
  }
  if (element.type !== 'overflow') return void errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
  checkElements(element.options, 2, 5, `${at}/options`, errors, (option, where) => {
    if (!isObject(option)) return void errors.push(`failed to match all allowed schemas [json-pointer:${where}]`);
    checkText(option.text, `${where}/text`, 75, errors, 'plain_text');
    if (typeof option.value !== 'string' && option.url === undefined) errors.push(`failed to match all allowed schemas [json-pointer:${where}]`);
    maxLength(option.value, 150, `${where}/value`, errors);
    maxLength(option.url, 3000, `${where}/url`, errors);
  });
}

function checkActions(block: Json, at: string, errors: string[]): void {
  const actionIds = new Set<string>();
  checkElements(block.elements, 1, 25, `${at}/elements`, errors, (element, where) => {
    if (!isObject(element) || element.type !== 'button') return void errors.push(`failed to match all allowed schemas [json-pointer:${where}]`);
    checkText(element.text, `${where}/text`, 75, errors, 'plain_text');
    maxLength(element.value, 2000, `${where}/value`, errors);
    maxLength(element.url, 3000, `${where}/url`, errors);
    maxLength(element.action_id, 255, `${where}/action_id`, errors);
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger')
      errors.push(`must be one of the allowed values [json-pointer:${where}/style]`);
    if (typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) errors.push(`duplicate action_id [json-pointer:${where}/action_id]`);
      actionIds.add(element.action_id);
    }
  });
}

function checkElements(elements: unknown, min: number, max: number, at: string, errors: string[], check: (element: unknown, at: string) => void): void {
  if (!Array.isArray(elements)) return void errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
  if (elements.length < min) errors.push(`must provide at least ${min} items [json-pointer:${at}]`);
  if (elements.length > max) errors.push(`no more than ${max} items allowed [json-pointer:${at}]`);
  for (const [index, element] of elements.entries()) check(element, `${at}/${index}`);
}

function checkText(text: unknown, at: string, max: number, errors: string[], only?: 'plain_text'): void {
  const types = only ? [only] : ['plain_text', 'mrkdwn'];
  if (!isObject(text) || !types.includes(String(text.type)) || typeof text.text !== 'string')
    return void errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
  if (text.text.length === 0)
    errors.push(`failed to match all allowed schemas [json-pointer:${at}]`, `must be more than 0 characters [json-pointer:${at}/text]`);
  if (text.text.length > max)
    errors.push(`failed to match all allowed schemas [json-pointer:${at}]`, `must be less than ${max + 1} characters [json-pointer:${at}/text]`);
}

function maxLength(value: unknown, max: number, at: string, errors: string[]): void {
  if (typeof value === 'string' && value.length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
