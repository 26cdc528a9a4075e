import { z } from 'zod';
import type { TagVocabulary } from '../domain/tags.ts';
import { contentHash } from './content-hash.ts';
import { extractTldr } from './extract-tldr.ts';
import { parseRulesFile } from './prefilter.ts';
import { createTermMatcher, type TermMatcher } from './term-matcher.ts';
import type { PaperText, Verdict } from './verdict.ts';

const TermList = z.array(z.string().min(1));

/**
 * A concept: terms that say the same thing about a paper, and how much saying it weighs. Its
 * contribution to the score is weight × (title, if a term is in the title) + weight × (presence, if
 * one is in the title or abstract) + weight × min(occurrences, saturation) / saturation.
 */
export const ConceptSchema = z.object({
  name: z.string().min(1),
  /** Why the concept is there, for people reading the rules. */
  about: z.string().optional(),
  weight: z.number(),
  title: z.number().min(0).default(0),
  presence: z.number().min(0).default(1),
  saturation: z.number().int().min(0).default(0),
  /** Anchors are the large-model and ML-workload concepts: a paper with none of them is never relevant. */
  anchor: z.boolean().default(false),
  /** A required concept must be found for a paper to be relevant (systems words: a paper about a model alone is not). */
  required: z.boolean().default(false),
  terms: TermList.min(1),
});
export type Concept = z.infer<typeof ConceptSchema>;

export const KeywordRulesSchema = z.object({
  description: z.string().optional(),
  relevance: z.object({
    bias: z.number(),
    concepts: z.array(ConceptSchema).min(1),
  }),
  tagging: z.object({ minScore: z.number().min(0).default(2), max: z.number().int().min(1).max(3).default(3) }).default({ minScore: 2, max: 3 }),
  tags: z.record(z.string(), TermList),
});
export type KeywordRules = z.infer<typeof KeywordRulesSchema>;

/** The model name stored with keyword verdicts: they are replaced once an LLM is configured. */
export const KEYWORD_MODEL = 'keywords';

/** What the rules saw in a paper: the score (relevant when ≥ 0) and each concept's share of it. */
export type RuleExplanation = {
  readonly score: number;
  readonly anchored: boolean;
  readonly concepts: readonly { readonly name: string; readonly contribution: number; readonly terms: readonly string[] }[];
};

/** The offline filter as the classify pipeline sees it (rules alone, or rules + a trained model). */
export type KeywordClassifier = {
  readonly hash: string;
  classify(paper: PaperText): Verdict;
  /** The tags the rules find in a text, best first (for measuring the rules on titles alone). */
  tagsFor(title: string, abstract?: string): string[];
  /** The relevance score behind `classify`: relevant when ≥ 0; its magnitude is the confidence. */
  score(paper: PaperText): number;
  /** Brings a trained part up to date with the labels (no-op for rules alone). */
  refresh?(): Promise<void>;
  /** The same filter with its trained part learned without these papers (to measure it on them). */
  excluding?(paperIds: ReadonlySet<string>): KeywordClassifier;
};

export type RuleClassifier = KeywordClassifier & { explain(paper: PaperText): RuleExplanation };

/** The highest score of a paper without an anchor or a required concept (no large model or ML; no systems words). */
const UNQUALIFIED_CAP = -3;

/**
 * The deterministic offline filter: a paper is relevant when it is about large-model (or ML)
 * workloads — the rules score concepts of title and abstract, whatever the listing category — and
 * its tags are the (at most 3) tags with the most matching terms. Rules come from a file rather
 * than code; tags come only from the vocabulary, and rules for names outside it are ignored.
 */
export function createKeywordClassifier(rules: KeywordRules, vocabulary: TagVocabulary): RuleClassifier {
  const concepts = rules.relevance.concepts.map((concept) => ({ ...concept, matcher: createTermMatcher(concept.terms) }));
  const tagMatchers: { tag: string; matcher: TermMatcher }[] = vocabulary.tags.map((tag) => {
    const listed = Object.entries(rules.tags).find(([name]) => vocabulary.resolve(name) === tag.name)?.[1];
    return { tag: tag.name, matcher: createTermMatcher(listed?.length ? listed : [tag.name, ...tag.synonyms]) };
  });
  const tagsFor = (title: string, abstract = ''): string[] => {
    const ranked = tagMatchers
      .map(({ tag, matcher }, order) => ({ tag, order, score: 2 * matcher.count(title) + matcher.count(abstract) }))
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score || a.order - b.order);
    // A tag needs a title mention or repeated mentions; the best one is kept even when weaker.
    const strong = ranked.filter(({ score }, index) => index === 0 || (index === 1 && score >= 2) || score >= rules.tagging.minScore);
    return strong.slice(0, rules.tagging.max).map(({ tag }) => tag);
  };
  const explain = (paper: PaperText): RuleExplanation => {
    let score = rules.relevance.bias;
    let anchored = false;
    const missing = new Set(concepts.filter((concept) => concept.required).map((concept) => concept.name));
    const seen: { name: string; contribution: number; terms: string[] }[] = [];
    for (const concept of concepts) {
      const inTitle = concept.matcher.count(paper.title);
      const occurrences = inTitle + concept.matcher.count(paper.abstract);
      if (occurrences === 0) continue;
      const saturated = concept.saturation > 0 ? Math.min(occurrences, concept.saturation) / concept.saturation : 0;
      const contribution = concept.weight * ((inTitle > 0 ? concept.title : 0) + concept.presence + saturated);
      score += contribution;
      anchored ||= concept.anchor;
      missing.delete(concept.name);
      seen.push({ name: concept.name, contribution, terms: [] });
    }
    const qualified = anchored && missing.size === 0;
    return { score: qualified ? score : Math.min(score, UNQUALIFIED_CAP), anchored: qualified, concepts: seen };
  };
  const score = (paper: PaperText) => explain(paper).score;
  const explainWithTerms = (paper: PaperText): RuleExplanation => {
    const explained = explain(paper);
    const text = `${paper.title}\n${paper.abstract}`;
    const terms = (name: string) => concepts.find((concept) => concept.name === name)?.matcher.matches(text) ?? [];
    return { ...explained, concepts: explained.concepts.map((concept) => ({ ...concept, terms: terms(concept.name) })) };
  };
  return {
    hash: contentHash(JSON.stringify(rules), JSON.stringify(vocabulary.tags)),
    tagsFor,
    explain: explainWithTerms,
    score,
    classify(paper) {
      return verdictFor(score(paper) >= 0, paper, tagsFor);
    },
  };
}

/** A relevant verdict gets tags and an extractive TL;DR; a relevant paper with no tag term gets none. */
export function verdictFor(relevant: boolean, paper: PaperText, tagsFor: (title: string, abstract?: string) => string[]): Verdict {
  if (!relevant) return { relevant: false, tags: [], tldr: null };
  return { relevant: true, tags: tagsFor(paper.title, paper.abstract), tldr: extractTldr(paper.abstract) };
}

export function loadKeywordRules(path: string): KeywordRules {
  return parseRulesFile(path, KeywordRulesSchema);
}
