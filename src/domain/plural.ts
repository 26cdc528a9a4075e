/** `1 digest`, `2 digests`, `0 alerts`: a count with its noun, for the lines people read. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
