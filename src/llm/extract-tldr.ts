import { cleanTldr } from './clean-tldr.ts';

const RESULT = /\d(?:\.\d+)?\s*(?:%|×|x\b|times\b)|\bup to\b|\bspeedup\b|\bhigher\b|\blower\b|\breduc/i;

/**
 * The keyword classifier's stand-in for a TL;DR: the abstract's first sentence (the problem) and its
 * first sentence that reports a number (the result), within the TL;DR word limit. Extractive on
 * purpose: without a model we quote the authors rather than guess.
 */
export function extractTldr(abstract: string): string | null {
  const sentences = abstract
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
  const [first] = sentences;
  if (!first) return null;
  const result = sentences.slice(1).find((sentence) => RESULT.test(sentence));
  return cleanTldr(result ? `${first} ${result}` : first);
}
