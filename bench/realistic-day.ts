import { readFileSync } from 'node:fs';
import type { PaperRecord } from '../src/domain/paper.ts';
import { parseReadme } from '../src/markdown/parse-readme.ts';

/**
 * A synthetic announcement day shaped like a real cs.DC + cs.OS + cs.LG mailing: most candidates are
 * cs.LG-only machine-learning papers, a few dozen are cs.DC/cs.OS, and a handful of each are about
 * systems for large models. Relevant titles are real (the seed README's tagged papers); abstracts and
 * the off-topic titles are generated, with lengths typical of arXiv (~1,100–1,400 characters).
 * Deterministic: the same day every run.
 */
export type DayMix = {
  readonly total: number;
  readonly dcPositives: number;
  readonly dcOthers: number;
  readonly osPapers: number;
  readonly lgPositives: number;
};

export const REALISTIC_MIX: DayMix = { total: 500, dcPositives: 20, dcOthers: 50, osPapers: 10, lgPositives: 17 };

const ML_TOPICS = [
  'graph neural networks',
  'time-series forecasting',
  'causal inference',
  'Bayesian optimization',
  'protein structure prediction',
  'federated learning',
  'domain adaptation',
  'contrastive representation learning',
  'offline reinforcement learning for robotics',
  'anomaly detection',
  'tabular data',
  'symbolic regression',
  'physics-informed neural networks',
  'recommender systems',
  'image diffusion models',
  'large language models for code generation',
  'in-context learning',
  'uncertainty quantification',
  'optimal transport',
  'neural operators',
  'continual learning',
  'fair classification',
  'weather forecasting',
  'medical image segmentation',
  'molecular generation',
  'spiking neural networks',
  'kernel methods',
  'multi-armed bandits',
  'generalization bounds',
  'adversarial robustness',
  'LLM alignment',
  'jailbreak attacks on language models',
];
const METHODS = ['A Unified Framework', 'Provable Guarantees', 'A Simple Baseline', 'Revisiting', 'Towards Robust', 'Learning', 'Scalable', 'Sharp Rates'];
const SYSTEMS_TOPICS = [
  'Byzantine consensus',
  'serverless cold starts',
  'HPC batch scheduling',
  'blockchain sharding',
  'stream processing',
  'erasure-coded storage',
  'container orchestration',
  'edge task placement',
  'persistent memory file systems',
  'lock-free data structures',
];
const ML_SENTENCES = [
  'Existing methods rely on strong assumptions that rarely hold in practice.',
  'We propose a principled approach grounded in a new theoretical analysis.',
  'Our method needs no additional supervision and few hyperparameters.',
  'We prove convergence under mild conditions and derive matching lower bounds.',
  'Experiments on twelve public benchmarks show consistent gains over strong baselines.',
  'We further analyse the learned representations and their failure modes.',
  'Code and data are released to support reproducibility.',
  'Ablations confirm that each component contributes to the final accuracy.',
  'The analysis reveals a trade-off between bias and variance that prior work overlooked.',
  'We also characterise when the method fails and why.',
  'Results hold across random seeds, dataset sizes and noise levels.',
  'Our estimator is consistent and asymptotically normal.',
  'We validate the theory with controlled synthetic studies and real-world data.',
  'The framework unifies several previously separate lines of work.',
  'Prior approaches either ignore the structure of the problem or scale poorly with its dimension, which limits their use on the datasets practitioners care about.',
  'We complement the main results with a detailed sensitivity study covering the choice of regularisation strength, the sample size and the amount of label noise.',
  'Beyond accuracy, the learned models are better calibrated and degrade gracefully under distribution shift, as we show on three shifted variants of each benchmark.',
  'Finally, we discuss limitations, including the cost of the preprocessing step, and outline directions for future research.',
];
/** Sentences common in ML abstracts that also trip keyword rules; each appears in a share of papers. */
const COMMON_TRIGGERS: readonly (readonly [string, number])[] = [
  ['A transformer backbone is used for fair comparison with prior work.', 0.25],
  ['The approach is efficient at training time and simple to implement.', 0.3],
  ['We fine-tune a pretrained language model as one of the baselines.', 0.1],
];
const SYSTEMS_SENTENCES = [
  'Large language models are now served and trained on clusters of thousands of GPUs.',
  'Existing systems waste memory and leave accelerators idle under bursty load.',
  'We present a design that co-schedules computation and communication across devices.',
  'It manages the KV cache and model weights across GPU, CPU and SSD tiers.',
  'We implement it on top of a production inference engine with modest code changes.',
  'On 7B to 70B models it achieves up to 2.4x higher throughput and 38% lower tail latency.',
  'The evaluation covers real traces, multiple hardware generations and ablations.',
  'Today operators over-provision hardware to meet latency objectives, because request lengths and arrival rates vary by an order of magnitude within minutes.',
  'Our key observation is that the bottleneck shifts between compute, memory bandwidth and interconnect during a single request, so no static configuration is best.',
  'The scheduler profiles each phase online and re-plans placement every few hundred milliseconds with negligible overhead.',
  'We also show that the design composes with quantization, speculative decoding and prefix caching.',
];

export function realisticDay(mix: DayMix = REALISTIC_MIX): PaperRecord[] {
  const random = mulberry32(20251218);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const seedTitles = parseReadme(readFileSync(new URL('../test/fixtures/seed-readme.md', import.meta.url), 'utf8'))
    .entries.filter((entry) => entry.tags.length > 0)
    .map((entry) => entry.title);
  let next = 0;
  const paper = (title: string, abstract: string, categories: string[]): PaperRecord => ({
    id: `2512.${String(20000 + next++)}`,
    version: 1,
    title,
    abstract,
    authors: ['A. Author', 'B. Author'],
    categories,
    primaryCategory: categories[0] ?? null,
    comment: null,
    journalRef: null,
    doi: null,
    submittedAt: null,
    updatedAt: null,
  });
  const abstractFrom = (sentences: readonly string[], lead: string) => {
    const body = [...sentences].sort(() => random() - 0.5).slice(0, 14);
    const triggers = sentences === ML_SENTENCES ? COMMON_TRIGGERS.filter(([, share]) => random() < share).map(([sentence]) => sentence) : [];
    return [lead, ...body, ...triggers].join(' ');
  };
  const papers: PaperRecord[] = [];
  const positives = mix.dcPositives + mix.lgPositives;
  for (let index = 0; index < positives; index++) {
    const title = seedTitles[(index * 7) % seedTitles.length] as string;
    const categories = index < mix.dcPositives ? ['cs.DC', 'cs.LG'] : ['cs.LG'];
    papers.push(paper(title, abstractFrom(SYSTEMS_SENTENCES, `We study ${title.toLowerCase()}.`), categories));
  }
  for (let index = 0; index < mix.dcOthers; index++) {
    const topic = pick(SYSTEMS_TOPICS);
    papers.push(paper(`${pick(METHODS)} ${topic}`, abstractFrom(ML_SENTENCES, `We revisit ${topic} in modern datacenters.`), ['cs.DC']));
  }
  for (let index = 0; index < mix.osPapers; index++) {
    const topic = pick(SYSTEMS_TOPICS);
    papers.push(paper(`${pick(METHODS)} ${topic} in the kernel`, abstractFrom(ML_SENTENCES, `Operating systems struggle with ${topic}.`), ['cs.OS']));
  }
  while (papers.length < mix.total) {
    const topic = pick(ML_TOPICS);
    const categories = random() < 0.3 ? ['cs.LG', pick(['stat.ML', 'cs.AI', 'cs.CL', 'cs.CV'])] : ['cs.LG'];
    papers.push(paper(`${pick(METHODS)} ${topic}`, abstractFrom(ML_SENTENCES, `This paper is about ${topic}.`), categories));
  }
  return papers;
}

/** A small seeded PRNG, so the synthetic day is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
