import { describe, expect, it } from 'vitest';
import { NO_FILTER, type PaperFilter } from '../../src/store/paper-facets.ts';
import { type IndexedPaper, TermIndexBuilder } from '../../src/store/term-index.ts';

const paper = (pk: number, title: string, day: string | null = '2025-12-01', tags: string[] = ['serving']): IndexedPaper => ({
  pk,
  day,
  tags,
  text: { title, abstract: '', tldr: null },
});

const PAPERS = [
  paper(1, 'Expert offloading for mixture-of-experts inference', '2025-06-02', ['MoE', 'offloading']),
  paper(2, 'Expert parallel routing for mixture-of-experts training', '2025-07-01', ['MoE', 'training']),
  paper(3, 'Expert caching for mixture-of-experts serving', '2025-12-01', ['MoE', 'serving']),
  paper(4, 'Speculative decoding with draft models', '2025-12-02', ['serving']),
  paper(5, 'Speculative decoding for long-context prompts', '2025-12-03', ['serving', 'sparse']),
  paper(6, 'Quantization of weights to four bits', '2025-12-04', ['quantization']),
  paper(7, 'Mixture-of-experts routing with expert caching', null, ['MoE']),
];

function index(papers: readonly IndexedPaper[] = PAPERS) {
  const builder = new TermIndexBuilder();
  for (const item of papers) builder.add(item);
  return builder.build();
}

const near = (pk: number, filter: Partial<PaperFilter> = {}, need = 10) =>
  index()
    .nearest((PAPERS.find((item) => item.pk === pk) as IndexedPaper).text, { ...NO_FILTER, excludePk: pk, ...filter }, need)
    .map((neighbour) => neighbour.pk);

describe('TermIndex', () => {
  it('GIVEN a MoE paper THEN its neighbours are the papers sharing its distinctive words, best first, without itself', () => {
    expect(near(3)).toEqual([7, 1, 2]);
  });

  it('GIVEN a paper sharing no distinctive word with any other THEN it has no neighbours', () => {
    expect(near(6)).toEqual([]);
  });

  it('GIVEN neighbours THEN their scores are cosines between 0 and 1, decreasing', () => {
    const found = index().nearest((PAPERS[2] as IndexedPaper).text, { ...NO_FILTER, excludePk: 3 }, 10);
    expect(found.every((neighbour, at) => neighbour.score > 0 && neighbour.score <= 1 && (at === 0 || neighbour.score <= (found[at - 1]?.score ?? 1)))).toBe(
      true,
    );
  });

  it('GIVEN dates THEN only papers of those days qualify; a paper without a day has none', () => {
    expect(near(3, { from: '2025-07-01' })).toEqual([2]);
    expect(near(3, { to: '2025-06-30' })).toEqual([1]);
    expect(near(3, { from: '2025-06-01', to: '2025-12-31' })).toEqual([1, 2]);
  });

  it('GIVEN tags THEN all, any of a group and none of the excluded must hold', () => {
    expect(near(3, { tags: ['MoE', 'training'] })).toEqual([2]);
    expect(near(3, { anyTags: [['offloading', 'training']] })).toEqual([1, 2]);
    expect(near(3, { excludedTags: ['offloading'] })).toEqual([7, 2]);
    expect(near(3, { tags: ['not-a-tag'] })).toEqual([]);
  });

  it('GIVEN a pin THEN papers stored after it are left out', () => {
    expect(near(3, { maxPk: 2 })).toEqual([1, 2]);
  });

  it('GIVEN a page size THEN only that many come back, the best ones', () => {
    expect(near(3, {}, 2)).toEqual([7, 1]);
  });

  it('GIVEN equally similar papers THEN the newest day comes first', () => {
    const twins = [
      paper(1, 'Kernel fusion on GPUs', '2025-01-01'),
      paper(2, 'Kernel fusion on GPUs', '2025-03-01'),
      paper(3, 'Kernel fusion on GPUs', '2025-02-01'),
    ];
    const found = index([...twins, paper(4, 'Unrelated storage paper')]).nearest((twins[0] as IndexedPaper).text, { ...NO_FILTER, excludePk: 1 }, 5);
    expect(found.map((neighbour) => neighbour.pk)).toEqual([2, 3]);
  });

  it('GIVEN text not in the index THEN its neighbours are found from the words the index knows', () => {
    const found = index().nearest({ title: 'Speculative decoding on phones', abstract: '', tldr: null }, NO_FILTER, 5);
    expect(found.map((neighbour) => neighbour.pk)).toEqual([4, 5]);
  });
});
