import { createHash } from 'node:crypto';

/** A short, stable version label for prompt and rule text: the first 12 hex digits of SHA-256. */
export function contentHash(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex').slice(0, 12);
}
