import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createVocabulary, DEFAULT_TAGS, type TagVocabulary } from './domain/tags.ts';

const TagFileSchema = z
  .array(
    z.object({
      name: z.string().regex(/^[A-Za-z][\w-]{0,31}$/, 'a tag name is a short word such as MoE or multi-modal'),
      definition: z.string().min(1),
      synonyms: z.array(z.string().min(1)).default([]),
    }),
  )
  .min(1);

/** The configured vocabulary: TAGS_FILE (a JSON list of {name, definition, synonyms}) or the default 19 tags. */
export function loadVocabulary(path: string | undefined): TagVocabulary {
  if (!path) return createVocabulary(DEFAULT_TAGS);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`TAGS_FILE ${path}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = TagFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`TAGS_FILE ${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return createVocabulary(parsed.data);
}
