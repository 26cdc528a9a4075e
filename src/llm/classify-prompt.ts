import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TagVocabulary } from '../domain/tags.ts';
import { contentHash } from './content-hash.ts';
import type { PaperText } from './verdict.ts';

/** The classification prompt: system text with the vocabulary filled in, and a user message per batch. */
export type ClassifyPrompt = {
  /** Content hash of everything the model is told besides the papers: the prompt's version. */
  readonly hash: string;
  readonly system: string;
  user(papers: readonly PaperText[]): string;
};

const ANSWER_FORMAT = `Answer with one JSON object and nothing else:
{"papers": [{"id": "<paper id>", "relevant": true or false, "tags": ["<tag>", ...], "tldr": "<TL;DR>" or null}, ...]}
with exactly one entry per paper, in any order.`;

/** Reads `classify-system.md` and `classify-user.md` from the prompts folder. */
export function loadClassifyPrompt(promptsDir: string, vocabulary: TagVocabulary): ClassifyPrompt {
  const systemTemplate = readTemplate(promptsDir, 'classify-system.md', ['tags', 'answer_format']);
  const userTemplate = readTemplate(promptsDir, 'classify-user.md', ['papers']);
  const tags = vocabulary.tags.map((tag) => `- ${tag.name}: ${tag.definition}`).join('\n');
  const system = render(systemTemplate, { tags, answer_format: ANSWER_FORMAT });
  return {
    hash: contentHash(system, userTemplate),
    system,
    user: (papers) => render(userTemplate, { count: String(papers.length), papers: papers.map(paperLine).join('\n') }),
  };
}

/**
 * One JSON object per paper: JSON string escaping keeps untrusted text inside its string, so an
 * abstract cannot close the list or pose as the next paper.
 */
function paperLine(paper: PaperText): string {
  return JSON.stringify({ id: paper.id, title: plain(paper.title), categories: paper.categories, abstract: plain(paper.abstract) });
}

function plain(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function readTemplate(dir: string, name: string, required: readonly string[]): string {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  for (const slot of required) if (!text.includes(`{{${slot}}}`)) throw new Error(`${path}: the template lacks {{${slot}}}`);
  return text;
}

/** One pass over the template, so text substituted in (a paper) is never expanded again. */
function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (slot, name: string) => values[name] ?? slot);
}
