/**
 * Escaping for text we did not write (paper titles, TL;DRs, author names, what a person typed).
 * Discord hides a backslash before any punctuation, so escaping more than needed is invisible.
 * Inline: emphasis, underline, strikethrough, spoilers, code, masked links, and `<` which starts
 * mentions (`<@id>`, `<@&id>`), channels, timestamps and slash-command links. At a line start:
 * headings, quotes and lists. Pings are also disabled on every message (allowed_mentions), so an
 * `@everyone` that survives as text cannot notify anyone.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~|`[\]<]/g, '\\$&')
    .replace(/^(\s*)(#{1,3}\s|>|-#?\s|[-+]\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');
}

/**
 * A Reply's text: plain text with `code spans` as its only markup (commands strip backticks from
 * untrusted text inside them). Everything outside the spans is escaped; the spans are kept.
 * Bare links get angle brackets so Discord shows no preview under the reply.
 */
export function renderReplyText(text: string): string {
  return text
    .split(/(`[^`\n]+`|https?:\/\/[^\s<>`]+)/)
    .map((part, index) => {
      if (index % 2 === 0) return escapeMarkdown(part);
      return part.startsWith('`') ? part : `<${part}>`;
    })
    .join('');
}

/**
 * Cuts escaped text to `max` characters with an ellipsis, never in the middle of an escape or a
 * surrogate pair. Measures in UTF-16 units, which is never less than Discord's count.
 */
export function fitEscaped(text: string, max: number): string {
  const escaped = escapeMarkdown(text);
  if (escaped.length <= max) return escaped;
  let raw = text.slice(0, max - 1);
  let cut = escapeMarkdown(raw);
  while (cut.length > max - 1) {
    raw = raw.slice(0, raw.length - Math.max(1, Math.ceil((cut.length - max + 1) / 2)));
    cut = escapeMarkdown(raw);
  }
  return `${cut.replace(/[\uD800-\uDBFF]$/, '')}…`;
}
