import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { createVocabulary } from '../../src/domain/tags.ts';
import { createKeywordClassifier, loadKeywordRules } from '../../src/llm/keyword-classifier.ts';
import { classifyPending } from '../../src/pipeline/classify.ts';
import { DEFAULT_PROMPTS_DIR } from '../../src/pipeline/create-classify-deps.ts';
import { ingestDay } from '../../src/pipeline/ingest.ts';
import { papersAnnouncedOn } from '../../src/store/papers.ts';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const vocabulary = createVocabulary();
const rules = loadKeywordRules(join(DEFAULT_PROMPTS_DIR, 'keyword-rules.json'));
const keywords = createKeywordClassifier(rules, vocabulary, { systemsCategories: ['cs.DC', 'cs.OS'] });

describe('the keyword classifier', () => {
  it('GIVEN an LLM systems abstract THEN it is relevant with up to three vocabulary tags and an extractive TL;DR', () => {
    const verdict = keywords.classify({
      id: '2512.16473',
      title: 'Efficient CPU-GPU Collaborative Inference for MoE-based LLMs on Memory-Limited Systems',
      abstract:
        'Large Language Models with Mixture-of-Experts need more GPU memory than consumer GPUs have. We offload experts to the CPU and cache hot experts on the GPU. Our system achieves 2.3x lower latency than llama.cpp.',
      categories: ['cs.DC', 'cs.LG'],
    });
    expect(verdict.relevant).toBe(true);
    expect(verdict.tags).toHaveLength(3);
    expect(verdict.tags).toEqual(expect.arrayContaining(['MoE', 'offloading']));
    expect(verdict.tldr).toBe(
      'Large Language Models with Mixture-of-Experts need more GPU memory than consumer GPUs have. Our system achieves 2.3x lower latency than llama.cpp.',
    );
  });

  it.each([
    ['A Theory of Gradient Flow in Deep Residual Networks', 'We analyse gradient flow.', ['cs.LG']],
    ['Jailbreaking LLM Serving Systems', 'We attack LLM inference endpoints on GPUs.', ['cs.LG']],
    ['Ordered Consensus with Equal Opportunity', 'A consensus protocol.', ['cs.DC']],
  ])('GIVEN %j THEN it is not relevant and has no tags', (title, abstract, categories) => {
    expect(keywords.classify({ id: 'x', title, abstract, categories })).toEqual({ relevant: false, tags: [], tldr: null });
  });

  it('GIVEN a vocabulary tag with no rule THEN its name and synonyms are its terms; rules for unknown tags are ignored', () => {
    const custom = createVocabulary([{ name: 'compilers', definition: 'ML compilers', synonyms: ['tvm'] }]);
    const classifier = createKeywordClassifier({ ...rules, tags: { scaling: ['scale'] } }, custom, { systemsCategories: ['cs.DC'] });
    expect(classifier.tagsFor('Auto-scheduling with TVM at scale')).toEqual(['compilers']);
  });
});

describe('offline classification of a realistic day', () => {
  let fake: FakeArxiv;
  let app: App;

  beforeEach(async () => {
    fake = await FakeArxiv.start();
    fake.rss = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');
    app = await openTestApp({ ARXIV_RSS_URL: fake.rssUrl, ARXIV_API_URL: fake.apiUrl }, { now: fixedClock('2025-12-18T15:00:00Z').now });
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  it('GIVEN no LLM configured and the 2025-12-18 feed THEN every paper gets a keyword or pre-filter verdict, marked as such', async () => {
    await ingestDay(app.ingest, '2025-12-18');

    const report = await classifyPending(app.classify);

    expect(report).toMatchObject({ status: 'ok', classifier: 'keywords', candidates: 4, classified: 4, prefiltered: 1, keywords: 3, failed: 0, requests: 0 });
    const verdicts = Object.fromEntries(
      (await papersAnnouncedOn(app.db, '2025-12-18')).map(({ paper }) => [paper.title, { ...paper.classification }] as const),
    );
    expect(verdicts['A Theory of Gradient Flow in Deep Residual Networks']).toMatchObject({ relevant: false, model: 'prefilter' });
    expect(verdicts['Efficient CPU-GPU Collaborative Inference for MoE-based LLMs on Memory-Limited Systems']).toMatchObject({
      relevant: true,
      model: 'keywords',
      status: 'done',
    });
    for (const verdict of Object.values(verdicts)) {
      expect(verdict.tags.length).toBeLessThanOrEqual(3);
      for (const tag of verdict.tags) expect(vocabulary.names()).toContain(tag);
      if (verdict.relevant) expect(verdict.tags.length).toBeGreaterThan(0);
    }
  });
});
