import { describe, expect, it } from 'vitest';
import { createVocabulary } from '../../src/domain/tags.ts';
import { createAnswerSchemas } from '../../src/llm/answer-schema.ts';
import { parseBatchAnswer } from '../../src/llm/parse-batch-answer.ts';

const vocabulary = createVocabulary();
const schemas = createAnswerSchemas(vocabulary.names());
const ids = ['2512.00001', '2512.00002'];
const tldr = 'Cuts KV cache memory; 2x throughput.';
const parse = (answer: unknown) => parseBatchAnswer(typeof answer === 'string' ? answer : JSON.stringify(answer), ids, schemas, vocabulary);

describe('parseBatchAnswer', () => {
  it('GIVEN a correct answer in any order THEN each paper gets its own verdict', () => {
    const result = parse({
      papers: [
        { id: '2512.00002', relevant: false, tags: [], tldr: null },
        { id: '2512.00001', relevant: true, tags: ['serving', 'kernel'], tldr },
      ],
    });
    expect(result.problems.size).toBe(0);
    expect(result.verdicts.get('2512.00001')).toEqual({ relevant: true, tags: ['serving', 'kernel'], tldr });
    expect(result.verdicts.get('2512.00002')).toEqual({ relevant: false, tags: [], tldr: null });
  });

  it('GIVEN synonyms, case slips and unknown tags THEN synonyms are corrected and unknown tags dropped', () => {
    const result = parse({
      papers: [
        { id: '2512.00001', relevant: true, tags: ['inference', 'moe', 'LoRA'], tldr },
        { id: '2512.00002', relevant: false, tags: ['scaling'], tldr: 'ignored' },
      ],
    });
    expect(result.verdicts.get('2512.00001')?.tags).toEqual(['serving', 'MoE']);
    expect(result.verdicts.get('2512.00002')).toEqual({ relevant: false, tags: [], tldr: null });
    expect(result.corrections).toMatchObject({ correctedTags: 2, rejectedTags: ['LoRA', 'scaling'] });
  });

  it.each([
    [{ id: '2512.00001', relevant: true, tags: ['scaling'], tldr }, 'relevant but no tag from the vocabulary (outside the vocabulary: scaling)'],
    [{ id: '2512.00001', relevant: true, tags: ['serving'], tldr: null }, 'relevant but no TL;DR'],
    [{ id: '2512.00001', relevant: 'yes', tags: [], tldr: null }, 'does not fit the schema'],
  ])('GIVEN an entry %j THEN the paper is a problem, not an irrelevant verdict', (entry, reason) => {
    const result = parse({ papers: [entry, { id: '2512.00002', relevant: false, tags: [], tldr: null }] });
    expect(result.verdicts.has('2512.00001')).toBe(false);
    expect(result.problems.get('2512.00001')).toContain(reason);
    expect(result.verdicts.has('2512.00002')).toBe(true);
  });

  it('GIVEN more than three tags THEN the first three are kept', () => {
    const result = parse({ papers: [{ id: '2512.00001', relevant: true, tags: ['serving', 'MoE', 'kernel', 'edge'], tldr }] });
    expect(result.verdicts.get('2512.00001')?.tags).toEqual(['serving', 'MoE', 'kernel']);
  });

  it('GIVEN a missing, a duplicated, a versioned and an unknown id THEN missing is a problem, the first answer wins, versions are ignored, strangers are counted', () => {
    const result = parse({
      papers: [
        { id: 'arXiv:2512.00001v2', relevant: true, tags: ['serving'], tldr },
        { id: '2512.00001', relevant: false, tags: [], tldr: null },
        { id: '9999.99999', relevant: true, tags: ['serving'], tldr },
      ],
    });
    expect(result.verdicts.get('2512.00001')?.relevant).toBe(true);
    expect(result.problems.get('2512.00002')).toBe('the answer left this paper out');
    expect(result.corrections).toMatchObject({ duplicateAnswers: 1, unknownIds: 1 });
  });

  it.each([
    ['{"papers": [', 'the answer is not valid JSON'],
    ['', 'the answer was empty'],
    ['{"verdicts": []}', 'the answer has no "papers" list'],
  ])('GIVEN content %j THEN every paper of the batch is a problem: %s', (content, reason) => {
    const result = parse(content);
    expect([...result.problems.values()]).toEqual([reason, reason]);
    expect(result.verdicts.size).toBe(0);
  });
});
