import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The document itself is unusable (truncated, not XML, not the expected root): the run fails. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
}

/**
 * `parseTagValue: false` keeps `2401.10000` a string (the default would make it the number 2401.1);
 * namespace prefixes are dropped so `arxiv:announce_type` reads as `announce_type`.
 */
export function parseXml(xml: string, arrays: ReadonlySet<string>, what: string): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new FeedError(`${what} is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    removeNSPrefix: true,
    trimValues: true,
    isArray: (_name, jpath) => arrays.has(String(jpath)),
  });
  return parser.parse(xml) as Record<string, unknown>;
}

/** Text content of an element that may carry attributes (`{ '#text': … }`). */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) {
    const text = (value as { '#text': unknown })['#text'];
    return typeof text === 'string' ? text : null;
  }
  return null;
}

export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}
