/**
 * Just enough MIME to read what nodemailer sends: headers (unfolded, encoded words decoded),
 * multipart bodies, quoted-printable and base64. Tests read emails as a person's client would.
 */
export type MimePart = { readonly headers: Map<string, string>; readonly body: string; readonly parts: readonly MimePart[] };

export type ParsedEmail = {
  readonly headers: Map<string, string>;
  readonly subject: string;
  readonly text: string | null;
  readonly html: string | null;
};

export function parseEmail(raw: string): ParsedEmail {
  const root = parsePart(raw);
  const leaves = flatten(root);
  const of = (type: string) => leaves.find((part) => (part.headers.get('content-type') ?? 'text/plain').startsWith(type))?.body ?? null;
  return { headers: root.headers, subject: root.headers.get('subject') ?? '', text: of('text/plain'), html: of('text/html') };
}

function parsePart(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1, -1);
    return { headers, body: '', parts: sections.map((section) => parsePart(section.replace(/^\r\n/, '').replace(/\r\n$/, ''))) };
  }
  return { headers, body: decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit'), parts: [] };
}

function flatten(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(flatten) : [part];
}

/** The decoded text with the wire's CRLF line ends turned back into \n. */
function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8').replace(/\r\n/g, '\n');
  if (/quoted-printable/i.test(encoding)) return quotedPrintable(body.replace(/=\r\n/g, '')).replace(/\r\n/g, '\n');
  return body.replace(/\r\n/g, '\n');
}

function quotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '=' && /^[0-9A-F]{2}$/i.test(text.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(...Buffer.from(char, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*(?==\?)?/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : quotedPrintable(text.replaceAll('_', ' ')),
  );
}
