import { z } from 'zod';
import type { PaperRecord } from '../domain/paper.ts';

const isoInstant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected a date' });

/** What an arXiv entry must carry before it is stored; anything less is skipped with its reason. */
export const PaperRecordSchema = z.object({
  id: z.string().regex(/^(\d{4}\.\d{4,5}|[a-z][a-z-]*(\.[A-Z]{2})?\/\d{7})$/, 'expected an arXiv base id'),
  version: z.number().int().min(1),
  title: z.string().min(1, 'title is empty').max(1000),
  abstract: z.string().max(20_000),
  authors: z.array(z.string().min(1)).max(5000),
  categories: z.array(z.string().min(1)),
  primaryCategory: z.string().nullable(),
  comment: z.string().nullable(),
  journalRef: z.string().nullable(),
  doi: z.string().nullable(),
  submittedAt: isoInstant.nullable(),
  updatedAt: isoInstant.nullable(),
}) satisfies z.ZodType<PaperRecord>;

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; ');
}
