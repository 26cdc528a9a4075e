/**
 * Slack mrkdwn treats `<…>` as control sequences: `<!channel>` pings everyone, `<@U123>` a person,
 * `<https://x|label>` is a link. Escaping the three characters (`&` first, so entities we add are
 * not escaped twice) makes any untrusted text inert. We never send `link_names` or `parse: full`,
 * so a plain `@channel` stays text too.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** What Slack sends in slash-command text: the same three characters escaped. */
export function unescapeSlackText(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

const ELLIPSIS = '…';

/** Cuts already-escaped mrkdwn to `max` characters without splitting an `&amp;`-style entity. */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - ELLIPSIS.length)).replace(/&[a-z]{0,4}$/, '');
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/** Plain text (a button label, a header) cut to `max` characters. */
export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - ELLIPSIS.length).trimEnd()}${ELLIPSIS}`;
}

// A URL that cannot close the link early or smuggle a second label.
const SAFE_URL = /^https?:\/\/[^\s<>|"]+$/;

/** `<url|label>` with the label escaped; an unexpected URL is dropped rather than trusted. */
export function mrkdwnLink(url: string, label: string): string {
  const text = escapeMrkdwn(label);
  if (!SAFE_URL.test(url)) return text;
  // `&` in a URL is written as `&amp;` in mrkdwn; the others cannot occur (SAFE_URL).
  return `<${url.replaceAll('&', '&amp;')}|${text}>`;
}
