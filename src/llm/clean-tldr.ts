/** The TL;DR limit the prompt asks for; longer answers are cut, not trusted to stop on their own. */
export const TLDR_MAX_WORDS = 60;

/**
 * Bounds what a TL;DR can carry to chat: plain text, one line, at most TLDR_MAX_WORDS words. Markup,
 * links and mentions are removed here and the renderers still escape what is left — an injected
 * abstract can at worst make a TL;DR say something odd, not ping a channel or plant a link.
 */
export function cleanTldr(text: string): string | null {
  const plain = text
    .replace(/<[!@#/]?[A-Za-z][^<>]*>/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/\bwww\.\S+/gi, ' ')
    .replace(/@(everyone|here|channel)\b/gi, '$1')
    .replace(/[@#](?=\w)/g, '')
    .replace(/[*`|]+|~~|__/g, ' ')
    .replace(/^\s*(?:tl;?dr\s*:?)\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!plain) return null;
  const words = plain.split(' ');
  if (words.length <= TLDR_MAX_WORDS) return plain;
  return `${words
    .slice(0, TLDR_MAX_WORDS)
    .join(' ')
    .replace(/[,;:.]$/, '')}…`;
}
