import { z } from 'zod';
import type { TagVocabulary } from '../domain/tags.ts';
import { contentHash } from './content-hash.ts';
import { extractTldr } from './extract-tldr.ts';
import { parseRulesFile } from './prefilter.ts';
import { createTermMatcher, type TermMatcher } from './term-matcher.ts';
import type { PaperText, Verdict } from './verdict.ts';

const TermList = z.array(z.string().min(1));
export const KeywordRulesSchema = z.object({
  description: z.string().optional(),
  relevance: z.object({ model: TermList.min(1), exclude: TermList.default([]) }),
  tags: z.record(z.string(), TermList),
});
export type KeywordRules = z.infer<typeof KeywordRulesSchema>;

/** The model name stored with keyword verdicts: they are replaced once an LLM is configured. */
export const KEYWORD_MODEL = 'keywords';

export type KeywordClassifier = {
  readonly hash: string;
  classify(paper: PaperText): Verdict;
  /** The tags the rules find in a text, best first (for measuring the rules on titles alone). */
  tagsFor(title: string, abstract?: string): string[];
};

export type KeywordScope = {
  /** Categories whose papers count as on-topic systems work without a model term (cs.DC, cs.OS). */
  readonly systemsCategories: readonly string[];
};

const MAX_TAGS = 3;

/**
 * The deterministic fallback: title and abstract rules per tag, from a rules file rather than code.
 * Tags come only from the vocabulary; rules for names outside it are ignored.
 */
export function createKeywordClassifier(rules: KeywordRules, vocabulary: TagVocabulary, scope: KeywordScope): KeywordClassifier {
  const model = createTermMatcher(rules.relevance.model);
  const exclude = createTermMatcher(rules.relevance.exclude);
  const systemsCategories = new Set(scope.systemsCategories);
  const tagMatchers: { tag: string; matcher: TermMatcher }[] = vocabulary.tags.map((tag) => {
    const listed = Object.entries(rules.tags).find(([name]) => vocabulary.resolve(name) === tag.name)?.[1];
    return { tag: tag.name, matcher: createTermMatcher(listed?.length ? listed : [tag.name, ...tag.synonyms]) };
  });
  const tagsFor = (title: string, abstract = ''): string[] =>
    tagMatchers
      .map(({ tag, matcher }, order) => ({ tag, order, score: 2 * matcher.matches(title).length + matcher.matches(abstract).length }))
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, MAX_TAGS)
      .map(({ tag }) => tag);
  return {
    hash: contentHash(JSON.stringify(rules), JSON.stringify(vocabulary.tags)),
    tagsFor,
    classify(paper) {
      const tags = tagsFor(paper.title, paper.abstract);
      const text = `${paper.title}\n${paper.abstract}`;
      const onTopic = model.test(text) || paper.categories.some((category) => systemsCategories.has(category));
      const relevant = tags.length > 0 && onTopic && !exclude.test(paper.title);
      if (!relevant) return { relevant: false, tags: [], tldr: null };
      return { relevant: true, tags, tldr: extractTldr(paper.abstract) };
    },
  };
}

export function loadKeywordRules(path: string): KeywordRules {
  return parseRulesFile(path, KeywordRulesSchema);
}
