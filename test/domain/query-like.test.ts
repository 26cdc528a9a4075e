import { describe, expect, it } from 'vitest';
import { broaderQueries, describeQuery, formatQuery } from '../../src/domain/describe-query.ts';
import { UserError } from '../../src/domain/errors.ts';
import { EMPTY_QUERY, hasText, isEmptyQuery, parseQuery, type Query } from '../../src/domain/query.ts';
import { decodeSearchCursor, encodeSearchCursor } from '../../src/domain/search-cursor.ts';
import { createVocabulary } from '../../src/domain/tags.ts';

const vocabulary = createVocabulary();
const parse = (input: string) => parseQuery(input, { vocabulary, today: '2025-12-19' });
const query = (fields: Partial<Query>): Query => ({ ...EMPTY_QUERY, ...fields });

function userErrorOf(input: string): string {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error(`“${input}” parsed`);
}

describe('like: in the query language', () => {
  it.each([
    'like:2512.16473',
    'like:2512.16473v2',
    'like:arXiv:2512.16473',
    'LIKE:ARXIV:2512.16473v1',
    'like: 2512.16473',
    'like:https://arxiv.org/abs/2512.16473v3',
    'like:http://export.arxiv.org/abs/2512.16473',
    'like:https://arxiv.org/pdf/2512.16473v1.pdf',
  ])('GIVEN %s THEN the query asks for the neighbours of the base id', (input) => {
    expect(parse(input)).toEqual(query({ like: '2512.16473' }));
  });

  it('GIVEN an old-style id THEN it is kept whole', () => {
    expect(parse('like:cs.DC/0101001').like).toBe('cs.DC/0101001');
  });

  it('GIVEN like: with dates and tags THEN they filter the neighbours', () => {
    expect(parse('like:2512.16473 MoE since 2025-06')).toEqual(
      query({ like: '2512.16473', tags: ['MoE'], range: { from: '2025-06-01', to: null }, rangeLabel: 'since 2025-06' }),
    );
    expect(parse('serving OR training like:2512.16473 -RL')).toMatchObject({
      like: '2512.16473',
      anyOf: [
        [
          { kind: 'tag', value: 'serving' },
          { kind: 'tag', value: 'training' },
        ],
      ],
      excludedTags: ['RL'],
    });
  });

  it('GIVEN like: THEN the query is not empty and has no text to match', () => {
    const parsed = parse('like:2512.16473');
    expect(isEmptyQuery(parsed)).toBe(false);
    expect(hasText(parsed)).toBe(false);
  });

  it.each([
    ['like:', /`like:` needs an arXiv id/],
    ['like:banana', /“banana” is not an arXiv id\. Write `like:2512\.16473`/],
    ['like:2512.164', /is not an arXiv id/],
    ['like:2512.16473v0', /is not an arXiv id/],
    ['like:`rm -rf`', /“rm” is not an arXiv id/],
    ['like:2512.16473 like:2512.00001', /single `like:`/],
    ['like:2512.16473 kv cache', /combines with dates and tags only/],
    ['like:2512.16473 "speculative decoding"', /combines with dates and tags only/],
    ['like:2512.16473 author:Han', /combines with dates and tags only/],
    ['like:2512.16473 -survey', /combines with dates and tags only/],
    ['like:2512.16473 MoE OR kv', /combines with dates and tags only/],
    ['-like:2512.16473', /`like:` cannot be excluded/],
    ['MoE not like:2512.16473', /`like:` cannot be excluded/],
    ['MoE OR like:2512.16473', /OR joins tags, words, "phrases" and authors, not `like:`/],
  ])('GIVEN %s THEN the person is told what to write', (input, message) => {
    expect(userErrorOf(input)).toMatch(message);
  });

  it('GIVEN the same paper twice in any form THEN it is one like:', () => {
    expect(parse('like:2512.16473 like:arXiv:2512.16473v2').like).toBe('2512.16473');
  });

  it('GIVEN a like: query THEN it reads back, describes itself and suggests dropping its filters', () => {
    const parsed = parse('like:2512.16473v2 MoE 2025-12');
    expect(formatQuery(parsed)).toBe('like:2512.16473 MoE 2025-12-01..2025-12-31');
    expect(parse(formatQuery(parsed))).toEqual({ ...parsed, rangeLabel: '2025-12-01 .. 2025-12-31' });
    expect(describeQuery(parsed)).toBe('`MoE` papers like 2512.16473 from 2025-12-01 to 2025-12-31');
    expect(broaderQueries(parsed).map(formatQuery)).toEqual(['like:2512.16473 MoE', 'like:2512.16473']);
  });

  it('GIVEN a like: search THEN its cursor carries the paper to the next page, briefly', () => {
    const parsed = parse('like:2512.16473 since 2025-06');
    const cursor = encodeSearchCursor({ query: parsed, offset: 8, maxPk: 900 });
    expect(cursor.length).toBeLessThan(100);
    expect(decodeSearchCursor(cursor, vocabulary)).toEqual({ query: parsed, offset: 8, maxPk: 900 });
  });

  it('GIVEN a forged cursor with like: and words, or a bad id THEN it is refused as the parser would refuse the query', () => {
    const forged = (wire: unknown) => `p1.${Buffer.from(JSON.stringify(wire)).toString('base64url')}`;
    expect(() => decodeSearchCursor(forged({ k: '2512.16473', w: ['kv'], o: 8 }), vocabulary)).toThrow(UserError);
    expect(() => decodeSearchCursor(forged({ k: '2512.16473v2', o: 8 }), vocabulary)).toThrow(UserError);
    expect(() => decodeSearchCursor(forged({ k: '<script>', o: 8 }), vocabulary)).toThrow(UserError);
    expect(decodeSearchCursor(forged({ k: '2512.16473', t: ['MoE'], o: 8 }), vocabulary).query).toEqual(query({ like: '2512.16473', tags: ['MoE'] }));
  });
});
