import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/domain/eval-metrics.ts';
import { listingCategory, parseLabelledPapers } from '../../src/domain/labelled-papers.ts';
import { createVocabulary } from '../../src/domain/tags.ts';

const vocabulary = createVocabulary();
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ id: '2512.16473', title: 'T', abstract: 'A', categories: ['cs.DC'], relevant: false, ...fields });

describe('parseLabelledPapers', () => {
  it('GIVEN good lines THEN ids lose their version, synonyms become tags and the primary defaults to the first category', () => {
    const { papers, problems } = parseLabelledPapers(
      `${line({ id: 'arXiv:2512.16473v2', relevant: true, tags: ['inference', 'MoE', 'moe'], categories: ['cs.LG', 'cs.DC'] })}\n\n`,
      vocabulary,
    );
    expect(problems).toEqual([]);
    expect(papers).toEqual([
      {
        id: '2512.16473',
        version: 2,
        title: 'T',
        abstract: 'A',
        categories: ['cs.LG', 'cs.DC'],
        primaryCategory: 'cs.LG',
        relevant: true,
        tags: ['serving', 'MoE'],
        day: null,
      },
    ]);
    expect(listingCategory(papers[0] as (typeof papers)[0], ['cs.DC', 'cs.LG'])).toBe('cs.LG');
    expect(listingCategory({ primaryCategory: 'cs.CR' }, ['cs.DC'])).toBe('other');
  });

  it('GIVEN bad lines THEN each is reported with its number and reason', () => {
    const { papers, problems } = parseLabelledPapers(
      [
        line({}),
        'nope',
        line({ id: 'x1' }),
        line({ title: '' }),
        line({ id: '2512.00001', tags: ['serving'] }),
        line({ id: '2512.00002', relevant: true, tags: ['LoRA', 'agent'] }),
      ].join('\n'),
      vocabulary,
    );
    expect(papers).toHaveLength(1);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3, 4, 5, 6]);
    expect(problems[0]?.message).toBe('not valid JSON');
    expect(problems[1]?.message).toBe('"x1" is not an arXiv id');
    expect(problems[2]?.message).toMatch(/^title: /);
    expect(problems[3]?.message).toBe('tags on a paper labelled not relevant');
    expect(problems[4]?.message).toMatch(/^unknown tags "LoRA", "agent" \(the vocabulary: serving, training/);
  });
});

describe('evaluate', () => {
  const judged = (id: string, label: boolean, verdict: boolean, tags: [string[], string[]] = [[], []], score: number | null = null) => ({
    id,
    title: id,
    category: id.startsWith('d') ? 'cs.DC' : 'other',
    label: { relevant: label, tags: tags[0] },
    verdict: { relevant: verdict, tags: tags[1], score },
  });

  it('GIVEN verdicts THEN precision, recall and F1 come overall and per category, tags on papers both call relevant, worst mistakes first', () => {
    const metrics = evaluate(
      [
        judged('d1', true, true, [
          ['serving', 'MoE'],
          ['serving', 'kernel'],
        ]),
        judged('d2', true, false, [['training'], []], -0.5),
        judged('d3', false, true, [[], ['serving']], 2),
        judged('o1', false, true, [[], ['edge']], 5),
        judged('o2', false, false),
      ],
      ['cs.DC', 'cs.OS', 'other'],
    );
    expect(metrics.relevance).toMatchObject({ tp: 1, fp: 2, fn: 1, tn: 1, papers: 5, precision: 1 / 3, recall: 0.5 });
    expect(metrics.relevance.f1).toBeCloseTo(0.4, 10);
    expect(metrics.byCategory.map((scores) => [scores.category, scores.precision, scores.recall])).toEqual([
      ['cs.DC', 0.5, 0.5],
      ['other', 0, null],
    ]);
    expect(metrics.tags?.micro).toMatchObject({ precision: 0.5, recall: 0.5 });
    expect(metrics.tags?.perTag.find((tag) => tag.tag === 'MoE')).toMatchObject({ tp: 0, fn: 1, recall: 0, precision: null });
    expect(metrics.falsePositives.map((mistake) => mistake.id)).toEqual(['o1', 'd3']);
  });
});
