/**
 * Repairs UTF-8 that was decoded as Windows-1252 and encoded again (`Ã—` → `×`, `â€”` → `—`).
 * Each would-be UTF-8 sequence is checked on its own: a lead byte followed by the right number of
 * continuation bytes is decoded, anything else is left exactly as it was, so correct text and
 * sequences that lost a byte on the way (cp1252 has no character for 0x81, 0x8D, 0x8F, 0x90, 0x9D)
 * pass through unchanged.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function byteOf(char: string): number | null {
  const code = char.charCodeAt(0);
  const high = CP1252_HIGH.indexOf(char);
  if (high >= 0) return 0x80 + high;
  return code >= 0xa0 && code <= 0xff ? code : null;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function repairMojibake(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const lead = byteOf(text[i] as string);
    const length = lead === null ? 0 : sequenceLength(lead);
    const bytes = length ? collect(text, i, length) : null;
    const decoded = bytes ? tryDecode(bytes) : null;
    if (decoded === null) {
      out += text[i];
      i++;
    } else {
      out += decoded;
      i += length;
    }
  }
  return out;
}

function collect(text: string, start: number, length: number): Uint8Array | null {
  const bytes = new Uint8Array(length);
  for (let k = 0; k < length; k++) {
    const char = text[start + k];
    const byte = char === undefined ? null : byteOf(char);
    if (byte === null || (k > 0 && (byte < 0x80 || byte > 0xbf))) return null;
    bytes[k] = byte;
  }
  return bytes;
}

function tryDecode(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}
