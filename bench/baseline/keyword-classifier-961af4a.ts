/**
 * The offline filter as it was before the measured-filter work (commit 961af4a), kept only so that
 * `npm run bench eval` can print "before" next to "after" on the labelled days. Its rules file is
 * beside it. Not used by the product.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { TagVocabulary } from '../../src/domain/tags.ts';
import { parseRulesFile } from '../../src/llm/prefilter.ts';
import { createTermMatcher } from '../../src/llm/term-matcher.ts';
import type { PaperText, Verdict } from '../../src/llm/verdict.ts';

const TermList = z.array(z.string().min(1));
const BaselineRulesSchema = z.object({
  relevance: z.object({ model: TermList.min(1), exclude: TermList.default([]) }),
  tags: z.record(z.string(), TermList),
});

export function createBaselineClassifier(vocabulary: TagVocabulary, systemsCategories: readonly string[]): (paper: PaperText) => Verdict {
  const rules = parseRulesFile(join(import.meta.dirname, 'keyword-rules-961af4a.json'), BaselineRulesSchema);
  const model = createTermMatcher(rules.relevance.model);
  const exclude = createTermMatcher(rules.relevance.exclude);
  const tagMatchers = vocabulary.tags.map((tag) => {
    const listed = Object.entries(rules.tags).find(([name]) => vocabulary.resolve(name) === tag.name)?.[1];
    return { tag: tag.name, matcher: createTermMatcher(listed?.length ? listed : [tag.name, ...tag.synonyms]) };
  });
  const tagsFor = (title: string, abstract: string) =>
    tagMatchers
      .map(({ tag, matcher }, order) => ({ tag, order, score: 2 * matcher.matches(title).length + matcher.matches(abstract).length }))
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, 3)
      .map(({ tag }) => tag);
  return (paper) => {
    const tags = tagsFor(paper.title, paper.abstract);
    const onTopic = model.test(`${paper.title}\n${paper.abstract}`) || paper.categories.some((category) => systemsCategories.includes(category));
    const relevant = tags.length > 0 && onTopic && !exclude.test(paper.title);
    return relevant ? { relevant, tags, tldr: null } : { relevant: false, tags: [], tldr: null };
  };
}
