import { parseArxivId } from '../domain/arxiv-id.ts';
import type { TagVocabulary } from '../domain/tags.ts';
import type { AnswerSchemas } from './answer-schema.ts';
import { cleanTldr } from './clean-tldr.ts';
import type { Verdict } from './verdict.ts';

export type AnswerCorrections = {
  /** Tags the model wrote that resolved to a vocabulary tag (`inference` → `serving`). */
  correctedTags: number;
  /** Tags outside the vocabulary that were dropped. */
  rejectedTags: string[];
  duplicateAnswers: number;
  unknownIds: number;
};

export type ParsedBatch = {
  readonly verdicts: Map<string, Verdict>;
  /** Papers without a usable answer, with the reason; the caller asks again once. */
  readonly problems: Map<string, string>;
  readonly corrections: AnswerCorrections;
};

const MAX_TAGS = 3;

/**
 * Matches a batch answer to the papers asked about, by id. Each paper is judged on its own: one bad
 * entry does not sink the batch. Tags are corrected through the vocabulary or dropped; a relevant
 * paper left without a valid tag, or without a TL;DR, is a problem, never a silent "irrelevant".
 */
export function parseBatchAnswer(content: string | null, ids: readonly string[], schemas: AnswerSchemas, vocabulary: TagVocabulary): ParsedBatch {
  const verdicts = new Map<string, Verdict>();
  const problems = new Map<string, string>();
  const corrections: AnswerCorrections = { correctedTags: 0, rejectedTags: [], duplicateAnswers: 0, unknownIds: 0 };
  const wholeBatch = (reason: string): ParsedBatch => {
    for (const id of ids) problems.set(id, reason);
    return { verdicts, problems, corrections };
  };
  let json: unknown;
  try {
    json = JSON.parse(content ?? '');
  } catch {
    return wholeBatch(content ? 'the answer is not valid JSON' : 'the answer was empty');
  }
  const items = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.papers) ? json.papers : null;
  if (!items) return wholeBatch('the answer has no "papers" list');
  const expected = new Set(ids);
  const seen = new Set<string>();
  for (const item of items) {
    const id = isRecord(item) && typeof item.id === 'string' ? normaliseId(item.id) : null;
    if (!id || !expected.has(id)) {
      corrections.unknownIds++;
      continue;
    }
    if (seen.has(id)) {
      corrections.duplicateAnswers++;
      continue;
    }
    seen.add(id);
    const outcome = judge(item as Record<string, unknown>, schemas, vocabulary, corrections);
    if (typeof outcome === 'string') problems.set(id, outcome);
    else verdicts.set(id, outcome);
  }
  for (const id of ids) if (!seen.has(id)) problems.set(id, 'the answer left this paper out');
  return { verdicts, problems, corrections };
}

function judge(item: Record<string, unknown>, schemas: AnswerSchemas, vocabulary: TagVocabulary, corrections: AnswerCorrections): Verdict | string {
  const tags: string[] = [];
  for (const raw of Array.isArray(item.tags) ? item.tags : []) {
    const tag = typeof raw === 'string' ? vocabulary.resolve(raw) : null;
    if (!tag) corrections.rejectedTags.push(String(raw));
    else {
      if (tag !== raw) corrections.correctedTags++;
      if (!tags.includes(tag)) tags.push(tag);
    }
  }
  const parsed = schemas.PaperVerdictSchema.safeParse({ ...item, tags });
  if (!parsed.success)
    return `the answer does not fit the schema (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; ')})`;
  const answer = parsed.data;
  if (!answer.relevant) return { relevant: false, tags: [], tldr: null };
  if (answer.tags.length === 0) {
    const rejected = Array.isArray(item.tags) && item.tags.length ? ` (outside the vocabulary: ${item.tags.map(String).join(', ')})` : '';
    return `relevant but no tag from the vocabulary${rejected}`;
  }
  const tldr = answer.tldr === null ? null : cleanTldr(answer.tldr);
  if (!tldr) return 'relevant but no TL;DR';
  return { relevant: true, tags: answer.tags.slice(0, MAX_TAGS), tldr };
}

/** Models sometimes echo `2512.16473v1` or `arXiv:2512.16473` for `2512.16473`. */
function normaliseId(text: string): string {
  return parseArxivId(text)?.base ?? text.trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
