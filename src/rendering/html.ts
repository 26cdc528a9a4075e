/**
 * Escaped HTML by construction. `html` is a tagged template: every interpolated value is escaped
 * unless it is already `SafeHtml` (the result of another `html`); arrays are joined; null,
 * undefined and false render nothing. Templates therefore never concatenate strings into markup,
 * and untrusted text (titles, abstracts, the person's query) can only ever become text. Shared by
 * the web pages and the emails (src/rendering imports neither of them).
 */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] as string;
  for (let index = 0; index < values.length; index++) out += render(values[index]) + (strings[index + 1] as string);
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Reply-style text (see Reply in src/domain/reply.ts): plain text whose one markup is a `code span`.
 * Each part is escaped; the spans become <code>.
 */
export function codeSpans(text: string): SafeHtml {
  const parts = text.split('`');
  return new SafeHtml(parts.map((part, index) => (index % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part))).join(''));
}
