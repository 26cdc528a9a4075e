import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { contentHash } from './content-hash.ts';
import { createTermMatcher } from './term-matcher.ts';

const TermList = z.array(z.string().min(1)).min(1);
export const PrefilterRulesSchema = z.object({ description: z.string().optional(), strong: TermList, model: TermList, systems: TermList });
export type PrefilterRules = z.infer<typeof PrefilterRulesSchema>;

export type PrefilterPaper = { readonly title: string; readonly abstract: string; readonly categories: readonly string[] };

export type PrefilterDecision = { readonly pass: true; readonly reason: string } | { readonly pass: false; readonly reason: string };

export type Prefilter = {
  /** Content hash of the rules, stored as the prompt hash of the verdicts it makes. */
  readonly hash: string;
  readonly categories: readonly string[];
  decide(paper: PrefilterPaper): PrefilterDecision;
  /** The keyword rule alone, ignoring categories: for measuring it on titles. */
  plausible(text: string): boolean;
};

export type PrefilterScope = {
  /** Every category the archive follows (ARXIV_CATEGORIES). */
  readonly followed: readonly string[];
  /** The high-volume ones whose papers must pass the keyword rule (LLM_PREFILTER_CATEGORIES). */
  readonly filtered: readonly string[];
};

/**
 * The transparent rule in front of the LLM for high-volume categories. A paper listed in any other
 * followed category (cs.DC, cs.OS) always passes, and so does one with no known categories (an import).
 */
export function createPrefilter(rules: PrefilterRules, scope: PrefilterScope): Prefilter {
  const strong = createTermMatcher(rules.strong);
  const model = createTermMatcher(rules.model);
  const systems = createTermMatcher(rules.systems);
  const filtered = new Set(scope.filtered);
  const always = new Set(scope.followed.filter((category) => !filtered.has(category)));
  const why = (text: string): string | null => {
    const [hit] = strong.matches(text);
    if (hit) return `mentions "${hit}"`;
    const [modelHit] = model.matches(text);
    const [systemsHit] = modelHit ? systems.matches(text) : [];
    return modelHit && systemsHit ? `mentions "${modelHit}" and "${systemsHit}"` : null;
  };
  return {
    hash: contentHash(JSON.stringify(rules), JSON.stringify([...filtered].sort())),
    categories: [...filtered],
    decide(paper) {
      const listed = paper.categories.find((category) => always.has(category));
      if (listed) return { pass: true, reason: `listed in ${listed}` };
      if (!paper.categories.some((category) => filtered.has(category))) return { pass: true, reason: 'not in a pre-filtered category' };
      const reason = why(`${paper.title}\n${paper.abstract}`);
      if (reason) return { pass: true, reason };
      return { pass: false, reason: `listed only in ${paper.categories.join(', ')} and no systems-for-large-models term in title or abstract` };
    },
    plausible: (text) => why(text) !== null,
  };
}

export function loadPrefilterRules(path: string): PrefilterRules {
  return parseRulesFile(path, PrefilterRulesSchema);
}

/** Reads a JSON rules file, failing with the file name and what is wrong. */
export function parseRulesFile<T>(path: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
