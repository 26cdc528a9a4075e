import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.ts';
import { parseQuery } from '../../src/domain/query.ts';
import { decodeSearchCursor, encodeSearchCursor, MAX_CURSOR_OFFSET } from '../../src/domain/search-cursor.ts';
import { createVocabulary } from '../../src/domain/tags.ts';

const vocabulary = createVocabulary();
const query = parseQuery('MoE "kv cache" -survey -edge author:"Song Han" last week prefill', { vocabulary, today: '2025-12-19' });
const forge = (wire: unknown) => `p1.${Buffer.from(JSON.stringify(wire)).toString('base64url')}`;
const valid = { t: ['MoE'], y: ['edge'], w: ['prefill'], p: [], x: [], a: [], f: null, u: null, l: null, o: 8, m: 100 };

describe('search cursor', () => {
  it('GIVEN a query with resolved dates THEN the cursor carries it, the offset and the pin, opaquely', () => {
    const cursor = encodeSearchCursor({ query, offset: 16, maxPk: 42 });
    expect(cursor).toMatch(/^p1\.[A-Za-z0-9_-]+$/);
    expect(decodeSearchCursor(cursor, vocabulary)).toEqual({ query, offset: 16, maxPk: 42 });
  });

  it('GIVEN a cursor decoded later THEN "last week" still means the week of the first page', () => {
    const decoded = decodeSearchCursor(encodeSearchCursor({ query, offset: 8, maxPk: null }), vocabulary);
    expect(decoded.query.range).toEqual({ from: '2025-12-08', to: '2025-12-14' });
  });

  it('GIVEN a one-tag search THEN the cursor fits a Discord custom_id (100 characters)', () => {
    const cursor = encodeSearchCursor({ query: parseQuery('MoE', { vocabulary, today: '2025-12-19' }), offset: 8, maxPk: 123456 });
    expect(cursor.length).toBeLessThan(60);
    expect(decodeSearchCursor(cursor, vocabulary).query.tags).toEqual(['MoE']);
  });

  it('GIVEN OR groups and excluded authors THEN the cursor carries them to the next page', () => {
    const withOr = parseQuery('kv MoE OR "speculative decoding" OR author:Lin -author:"Song Han" 2025-12-01..', { vocabulary, today: '2025-12-19' });
    const decoded = decodeSearchCursor(encodeSearchCursor({ query: withOr, offset: 8, maxPk: 7 }), vocabulary);
    expect(decoded.query.anyOf).toEqual([
      [
        { kind: 'tag', value: 'MoE' },
        { kind: 'text', value: 'speculative decoding' },
        { kind: 'author', value: 'Lin' },
      ],
    ]);
    expect(decoded.query.excludedAuthors).toEqual(['Song Han']);
    expect(decoded.query.range).toEqual({ from: '2025-12-01', to: null });
    expect(decoded.query).toEqual(withOr);
  });

  it('GIVEN a well-formed forged cursor THEN it is accepted only as a query the parser could have made', () => {
    expect(decodeSearchCursor(forge(valid), vocabulary).query.tags).toEqual(['MoE']);
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'not a cursor'],
    ['a cursor of an older format', `p0.${Buffer.from('{}').toString('base64url')}`],
    ['broken base64', 'p1.!!!'],
    ['not JSON', `p1.${Buffer.from('{"t":').toString('base64url')}`],
    ['invalid UTF-8', `p1.${Buffer.from([0xff, 0xfe]).toString('base64url')}`],
    ['a number', forge(7)],
    ['null', forge(null)],
    ['a missing offset', forge({ ...valid, o: undefined })],
    ['a list that is not a list', forge({ ...valid, w: 'kv' })],
    ['an explicit null list', forge({ ...valid, w: null })],
    ['FTS5 syntax in a word', forge({ ...valid, w: ['kv" OR "x'] })],
    ['SQL in a phrase', forge({ ...valid, p: ["'; DROP TABLE papers; --"] })],
    ['a backtick in an author', forge({ ...valid, a: ['`@channel`'] })],
    ['a tag outside the vocabulary', forge({ ...valid, t: ['scaling'] })],
    ['a tag in the wrong case', forge({ ...valid, t: ['moe'] })],
    ['an excluded tag outside the vocabulary', forge({ ...valid, y: ['scaling'] })],
    ['an impossible date', forge({ ...valid, f: '2025-02-30' })],
    ['reversed dates', forge({ ...valid, f: '2025-12-31', u: '2025-12-01' })],
    ['a negative offset', forge({ ...valid, o: -8 })],
    ['a huge offset', forge({ ...valid, o: MAX_CURSOR_OFFSET + 1 })],
    ['a fractional offset', forge({ ...valid, o: 1.5 })],
    ['a zero pin', forge({ ...valid, m: 0 })],
    ['too many terms', forge({ ...valid, w: Array.from({ length: 30 }, (_, index) => `w${index}`) })],
    ['a markup label', forge({ ...valid, f: '2025-12-01', l: '<b>x</b>' })],
    ['a 10 kB cursor', `p1.${'A'.repeat(10_000)}`],
    ['an OR of one alternative', forge({ ...valid, g: [['t:MoE']] })],
    ['an OR alternative of an unknown kind', forge({ ...valid, g: [['t:MoE', 'q:kv']] })],
    ['an OR alternative without a kind', forge({ ...valid, g: [['t:MoE', 'kv']] })],
    ['an OR tag outside the vocabulary', forge({ ...valid, g: [['t:MoE', 't:scaling']] })],
    ['FTS5 syntax in an OR alternative', forge({ ...valid, g: [['t:MoE', 'x:kv" OR "x']] })],
    ['groups that are not lists', forge({ ...valid, g: ['t:MoE'] })],
    ['too many OR alternatives', forge({ ...valid, g: [Array.from({ length: 30 }, (_, index) => `x:w${index}`)] })],
    ['markup in an excluded author', forge({ ...valid, n: ['<b>Han</b>'] })],
  ])('GIVEN %s THEN it is a UserError asking for a new search, not a crash', (_label, cursor) => {
    expect(() => decodeSearchCursor(cursor, vocabulary)).toThrow(UserError);
  });
});
