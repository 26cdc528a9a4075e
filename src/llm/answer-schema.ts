import { z } from 'zod';

/**
 * The structured-output schema, built from the configured vocabulary: the model may only choose tags
 * from it (a JSON-schema enum). The same zod schema validates what comes back.
 */
export function createAnswerSchemas(tagNames: readonly string[]) {
  const [first, ...rest] = tagNames;
  if (first === undefined) throw new Error('the tag vocabulary is empty');
  const TagSchema = z.enum([first, ...rest]);
  const PaperVerdictSchema = z.object({
    id: z.string().describe('the paper id exactly as given'),
    relevant: z.boolean().describe('true only for systems work for large models, per the rules'),
    tags: z.array(TagSchema).describe('1 to 3 tags for a relevant paper; [] for an irrelevant one'),
    tldr: z.string().nullable().describe('plain text, at most 60 words, for a relevant paper; null otherwise'),
  });
  const BatchAnswerSchema = z.object({ papers: z.array(PaperVerdictSchema) });
  return { TagSchema, PaperVerdictSchema, BatchAnswerSchema };
}

export type AnswerSchemas = ReturnType<typeof createAnswerSchemas>;
export type PaperVerdictAnswer = z.infer<AnswerSchemas['PaperVerdictSchema']>;
