import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { evaluate } from '../../src/domain/eval-metrics.ts';
import { listingCategory, parseLabelledPapers } from '../../src/domain/labelled-papers.ts';
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
const keywords = createKeywordClassifier(rules, vocabulary);

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

  it.each([
    [
      'Heterogeneous Federated Fine-Tuning of LLMs with LoRA',
      'Clients fine-tune large language models; we aggregate LoRA adapters with 30% less communication on GPUs.',
      ['cs.DC'],
    ],
    ['HPCAgent: A Multi-Agent LLM Approach for HPC Unit Test Generation', 'We use LLM agents to generate unit tests for HPC codes on GPU clusters.', ['cs.DC']],
    ['Serverless Workflows on Edge Clusters', 'We schedule serverless functions on IoT edge clusters, cutting cold-start latency by 40%.', ['cs.DC']],
  ])('GIVEN out-of-scope work %j THEN it is not relevant, whatever its category', (title, abstract, categories) => {
    expect(keywords.classify({ id: 'x', title, abstract, categories }).relevant).toBe(false);
  });

  it('GIVEN a serving paper whose only large-model evidence is the LLM request trace it replays (ShareGPT, BurstGPT) THEN it is relevant', () => {
    const verdict = keywords.classify({
      id: 'x',
      title: 'Adaptive Request Batching with Queueing Feedback',
      abstract:
        'Inference serving systems must trade throughput for latency; replaying BurstGPT and ShareGPT traces on GPUs, our batching policy cuts tail latency by 31%.',
      categories: ['cs.LG'],
    });
    expect(verdict).toMatchObject({ relevant: true, tags: expect.arrayContaining(['serving']) });
  });

  it('GIVEN large-model systems work listed only in another category THEN it is relevant', () => {
    const verdict = keywords.classify({
      id: 'x',
      title: 'Prefix-Aware KV Cache Placement for Disaggregated LLM Inference',
      abstract: 'We place KV cache blocks across prefill and decode GPUs, raising serving throughput by 1.8x.',
      categories: ['cs.NI'],
    });
    expect(verdict).toMatchObject({ relevant: true, tags: expect.arrayContaining(['serving']) });
  });

  it('GIVEN the labelled dev days THEN the rules reach precision ≥ 0.80 at recall ≥ 0.85 overall and in each listing category, and tags reach 0.80 / 0.70', () => {
    const { papers } = parseLabelledPapers(readFileSync(new URL('../fixtures/eval/labelled-dev.jsonl', import.meta.url), 'utf8'), vocabulary);
    const judged = papers.map((paper) => ({
      id: paper.id,
      title: paper.title,
      category: listingCategory(paper, ['cs.DC', 'cs.OS', 'cs.LG']),
      label: { relevant: paper.relevant, tags: paper.tags },
      verdict: keywords.classify(paper),
    }));
    const metrics = evaluate(judged);
    expect(metrics.relevance.precision).toBeGreaterThanOrEqual(0.8);
    expect(metrics.relevance.recall).toBeGreaterThanOrEqual(0.85);
    // Every listing category, cs.OS's 9 relevant papers included, although one miss there is 0.11 of recall.
    expect(metrics.byCategory.map((scores) => scores.category).sort()).toEqual(['cs.DC', 'cs.LG', 'cs.OS', 'other']);
    for (const scores of metrics.byCategory) {
      expect(scores.precision, scores.category).toBeGreaterThanOrEqual(0.8);
      expect(scores.recall, scores.category).toBeGreaterThanOrEqual(0.85);
    }
    expect(metrics.tags?.micro.precision).toBeGreaterThanOrEqual(0.8);
    expect(metrics.tags?.micro.recall).toBeGreaterThanOrEqual(0.7);
  });

  it('GIVEN a vocabulary tag with no rule THEN its name and synonyms are its terms; rules for unknown tags are ignored', () => {
    const custom = createVocabulary([{ name: 'compilers', definition: 'ML compilers', synonyms: ['tvm'] }]);
    const classifier = createKeywordClassifier({ ...rules, tags: { scaling: ['scale'] } }, custom);
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
