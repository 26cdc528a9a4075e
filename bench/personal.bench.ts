import { readFileSync } from 'node:fs';
import { parseLabelledPapers } from '../src/domain/labelled-papers.ts';
import { createVocabulary } from '../src/domain/tags.ts';
import { parseReadme } from '../src/markdown/parse-readme.ts';
import { personalCost } from './personal-cost.ts';
import { type CorpusPaper, type Curve, learningCurve } from './personal-curve.ts';
import type { Benchmark } from './run.ts';

const vocabulary = createVocabulary();
const READERS = 60;

export const personalBench: Benchmark = {
  name: 'personal',
  summary: 'per-person models: learning curve of simulated readers (precision@5 of picks), cost of scoring and retraining for 5,000 people, their memory',
  async run() {
    const corpora = [
      { name: 'the labelled days (733 papers with abstracts, 54 days, every paper of the cs.DC/cs.OS listing)', papers: labelledCorpus() },
      { name: 'the imported archive (its 224 papers with tags and TL;DRs, 64 days, relevant papers only)', papers: importedCorpus() },
    ];
    for (const corpus of corpora) printCurve(`${corpus.name}, words and tags (as shipped)`, learningCurve(corpus.papers, READERS));
    for (const corpus of corpora) printCurve(`${corpus.name}, words only`, learningCurve(corpus.papers, READERS, { tagValue: 0 }));
    await personalCost();
  },
};

export function labelledCorpus(): CorpusPaper[] {
  const text = readFileSync(new URL('../test/fixtures/eval/labelled-dev.jsonl', import.meta.url), 'utf8');
  return parseLabelledPapers(text, vocabulary).papers.map((paper) => ({
    id: paper.id,
    day: paper.day ?? '',
    title: paper.title,
    abstract: paper.abstract,
    tldr: null,
    tags: paper.tags,
  }));
}

export function importedCorpus(): CorpusPaper[] {
  const { entries } = parseReadme(readFileSync(new URL('../test/fixtures/seed-readme.md', import.meta.url), 'utf8'));
  const unique = new Map(entries.map((entry) => [entry.id, entry]));
  // The older entries of the README carry a title only (no tags, no TL;DR): a reader's interest cannot be told from them.
  return [...unique.values()]
    .filter((entry) => entry.tags.length > 0 && entry.tldr)
    .map((entry) => ({
      id: entry.id,
      day: entry.day,
      title: entry.title,
      abstract: '',
      tldr: entry.tldr,
      tags: entry.tags.map((tag) => vocabulary.resolve(tag)).filter((tag): tag is string => tag !== null),
    }));
}

function printCurve(name: string, curve: Curve): void {
  const fixed = (value: number) => value.toFixed(3);
  console.log(
    `\nlearning curve on ${name}: ${curve.readers} readers, precision@5 over ${curve.testWeeks} held-out weeks (share of papers a reader likes: ${fixed(curve.prevalence)})`,
  );
  console.log('| votes | past the gate | recency | subscription | model | picks (outside subscription) | recency (outside subscription) | weights per model |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of curve.rows) {
    console.log(
      `| ${row.votes} | ${row.pastGate}/${curve.readers} | ${fixed(row.recency)} | ${fixed(row.subscription)} | ${fixed(row.model)} | ${fixed(row.picks)} | ${fixed(row.picksRecency)} | ${row.weights.toFixed(0)} |`,
    );
  }
}
