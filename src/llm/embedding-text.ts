import type { ComparedText } from '../domain/paper-terms.ts';

/**
 * About 2,000 tokens: a title, a TL;DR and the longest abstract arXiv accepts (1,920 characters)
 * fit with room to spare, far under the 8,192 tokens an input may have; a hostile or broken text
 * cannot make one request cost more.
 */
export const MAX_EMBEDDED_CHARACTERS = 8000;

/** What is embedded of a paper: the same fields "more like this" compares without embeddings. */
export function embeddingText(paper: ComparedText): string {
  const parts = [paper.title, paper.tldr ?? '', paper.abstract].map((part) => part.trim()).filter(Boolean);
  // The API refuses an empty input (400); a paper always has a title, but a broken row must not stop a batch.
  return parts.join('\n\n').slice(0, MAX_EMBEDDED_CHARACTERS) || 'untitled';
}
