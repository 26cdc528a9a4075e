import { describe, expect, it } from 'vitest';
import { dayIn } from '../../src/domain/calendar.ts';
import { broaderQueries, describeQuery, formatQuery } from '../../src/domain/describe-query.ts';
import { UserError } from '../../src/domain/errors.ts';
import { EMPTY_QUERY, isEmptyQuery, parseQuery, type Query } from '../../src/domain/query.ts';
import { createVocabulary } from '../../src/domain/tags.ts';
import { fixedClock } from '../helpers/test-app.ts';

// Friday 2025-12-19, 09:30 in Shanghai (still Thursday evening in New York).
const clock = fixedClock('2025-12-19T01:30:00Z');
const vocabulary = createVocabulary();
const today = dayIn(clock.now(), 'Asia/Shanghai');
const parse = (input: string) => parseQuery(input, { vocabulary, today });
const query = (fields: Partial<Query>): Query => ({ ...EMPTY_QUERY, ...fields });

describe('parseQuery', () => {
  it('GIVEN the fixed clock THEN today is the Shanghai date', () => {
    expect(today).toBe('2025-12-19');
    expect(parseQuery('today', { vocabulary, today: dayIn(clock.now(), 'America/New_York') }).range).toEqual({ from: '2025-12-18', to: '2025-12-18' });
  });

  it.each<[string, Partial<Query>]>([
    // tags, synonyms, case
    ['MoE', { tags: ['MoE'] }],
    ['moe', { tags: ['MoE'] }],
    ['MOE offloading', { tags: ['MoE', 'offloading'] }],
    ['mixture of experts', { tags: ['MoE'] }],
    ['Mixture-of-Experts serving', { tags: ['MoE', 'serving'] }],
    ['inference', { tags: ['serving'] }],
    ['llm inference', { tags: ['serving'] }],
    ['multimodal', { tags: ['multi-modal'] }],
    ['quant', { tags: ['quantization'] }],
    ['rl', { tags: ['RL'] }],
    ['RLHF', { tags: ['RL'] }],
    ['agents', { tags: ['agentic'] }],
    ['tag:kernel', { tags: ['kernel'] }],
    ['MoE moe MoE,', { tags: ['MoE'] }],
    // time phrases (today = Friday 2025-12-19)
    ['today', { range: { from: '2025-12-19', to: '2025-12-19' }, rangeLabel: 'today' }],
    ['yesterday', { range: { from: '2025-12-18', to: '2025-12-18' }, rangeLabel: 'yesterday' }],
    ['this week', { range: { from: '2025-12-15', to: '2025-12-19' }, rangeLabel: 'this week' }],
    ['last week', { range: { from: '2025-12-08', to: '2025-12-14' }, rangeLabel: 'last week' }],
    ['past 3 days', { range: { from: '2025-12-17', to: '2025-12-19' }, rangeLabel: 'past 3 days' }],
    ['last 2 weeks', { range: { from: '2025-12-06', to: '2025-12-19' }, rangeLabel: 'last 2 weeks' }],
    ['past week', { range: { from: '2025-12-13', to: '2025-12-19' }, rangeLabel: 'past week' }],
    ['past three days', { range: { from: '2025-12-17', to: '2025-12-19' }, rangeLabel: 'past three days' }],
    ['this month', { range: { from: '2025-12-01', to: '2025-12-19' }, rangeLabel: 'this month' }],
    ['last month', { range: { from: '2025-11-01', to: '2025-11-30' }, rangeLabel: 'last month' }],
    ['past 1 month', { range: { from: '2025-11-20', to: '2025-12-19' }, rangeLabel: 'past 1 month' }],
    ['since 2025-12-01', { range: { from: '2025-12-01', to: null }, rangeLabel: 'since 2025-12-01' }],
    ['before 2026-01-01', { range: { from: null, to: '2025-12-31' }, rangeLabel: 'before 2026-01-01' }],
    ['after 2025-12-10', { range: { from: '2025-12-11', to: null }, rangeLabel: 'after 2025-12-10' }],
    ['until dec 2025', { range: { from: null, to: '2025-12-31' }, rangeLabel: 'until dec 2025' }],
    ['2025-12', { range: { from: '2025-12-01', to: '2025-12-31' }, rangeLabel: '2025-12' }],
    ['2024-02', { range: { from: '2024-02-01', to: '2024-02-29' }, rangeLabel: '2024-02' }],
    ['dec 2025', { range: { from: '2025-12-01', to: '2025-12-31' }, rangeLabel: 'dec 2025' }],
    ['December 2025', { range: { from: '2025-12-01', to: '2025-12-31' }, rangeLabel: 'december 2025' }],
    ['2025-12-01..2025-12-15', { range: { from: '2025-12-01', to: '2025-12-15' }, rangeLabel: '2025-12-01 .. 2025-12-15' }],
    ['2025-12-15..2025-12-01', { range: { from: '2025-12-01', to: '2025-12-15' }, rangeLabel: '2025-12-15 .. 2025-12-01' }],
    ['from 2025-12-01 to 2025-12-15', { range: { from: '2025-12-01', to: '2025-12-15' }, rangeLabel: 'from 2025-12-01 to 2025-12-15' }],
    ['2025-11..2025-12', { range: { from: '2025-11-01', to: '2025-12-31' }, rangeLabel: '2025-11 .. 2025-12' }],
    ['2025', { range: { from: '2025-01-01', to: '2025-12-31' }, rangeLabel: '2025' }],
    ['since 2025-12-01 before 2025-12-10', { range: { from: '2025-12-01', to: '2025-12-09' }, rangeLabel: 'since 2025-12-01 and before 2025-12-10' }],
    ['since yesterday', { range: { from: '2025-12-18', to: null }, rangeLabel: 'since yesterday' }],
    // free text
    ['disaggregated prefill', { words: ['disaggregated', 'prefill'] }],
    ['"speculative decoding"', { phrases: ['speculative decoding'] }],
    ['“speculative decoding”', { phrases: ['speculative decoding'] }],
    ['serving -quantization', { tags: ['serving'], excludedTags: ['quantization'] }],
    ['serving -fp8', { tags: ['serving'], excluded: ['fp8'] }],
    ['serving -"quantization"', { tags: ['serving'], excluded: ['quantization'] }],
    ['kv -"prefix caching"', { words: ['kv'], excluded: ['prefix caching'] }],
    ['serving not quantization', { tags: ['serving'], excludedTags: ['quantization'] }],
    ['kv not prefill', { words: ['kv'], excluded: ['prefill'] }],
    ['author:Han', { authors: ['Han'] }],
    ['author:"Song Han" kv', { authors: ['Song Han'], words: ['kv'] }],
    ['papers about the kv cache', { words: ['kv', 'cache'] }],
    ['"mixture of experts"', { phrases: ['mixture of experts'] }],
    ['scaling to 2048 GPUs', { words: ['scaling', '2048', 'GPUs'] }],
    ['may be', { words: ['may'] }],
    ['last', { words: ['last'] }],
    // the examples, combined
    ['serving last week', { tags: ['serving'], range: { from: '2025-12-08', to: '2025-12-14' }, rangeLabel: 'last week' }],
    ['MoE offloading 2025-12', { tags: ['MoE', 'offloading'], range: { from: '2025-12-01', to: '2025-12-31' }, rangeLabel: '2025-12' }],
    ['MoE disaggregated last week', { tags: ['MoE'], words: ['disaggregated'], range: { from: '2025-12-08', to: '2025-12-14' }, rangeLabel: 'last week' }],
    // hostile input: never FTS5 syntax, never SQL, never a crash
    ['"unbalanced quote', { phrases: ['unbalanced quote'] }],
    ['kv "cache', { words: ['kv'], phrases: ['cache'] }],
    ['"', {}],
    ['""', {}],
    ['NEAR(kv cache, 5) OR prefill*', { words: ['NEAR', 'kv', 'cache', '5', 'prefill'] }],
    ['title:kv ^cache', { words: ['title', 'kv', 'cache'] }],
    ['(kv AND cache) NOT prefill', { words: ['kv', 'cache'], excluded: ['prefill'] }],
    ["'; DROP TABLE papers; --", { words: ['DROP', 'TABLE'] }],
    ['1 OR 1=1', { words: ['1'] }],
    ['🚀 🔥', {}],
    ['MoE 🚀', { tags: ['MoE'] }],
    ['k\u0000v\u001b[31m cache', { words: ['k', 'v', '31m', 'cache'] }],
    ['ｋｖ ｃａｃｈｅ', { words: ['kv', 'cache'] }],
    ['-', {}],
    ['author:', {}],
  ])('GIVEN %j THEN it parses to the expected filters', (input, expected) => {
    if (input === 'author:') {
      expect(() => parse(input)).toThrow(UserError);
      return;
    }
    expect(parse(input)).toEqual(query(expected));
  });

  it.each([
    ['2025-13', '2025-13', /“2025-13” is not a month/],
    ['2025-02-30', '2025-02-30', /“2025-02-30” is not a date/],
    ['dates that do not overlap', 'since 2025-12-10 before 2025-12-01', /do not overlap/],
    ['past 0 days', 'past 0 days', /empty period/],
    ['past 999999 years', 'past 999999 years', /further than the archive/],
    ['tag:scaling', 'tag:scaling', /“scaling” is not a tag/],
    ['a 5,000-character input', 'kv '.repeat(1667).slice(0, 5000), /5,000 characters long; keep it under 500/],
    ['30 words', Array.from({ length: 30 }, (_, index) => `word${index}`).join(' '), /30 terms; use at most 24/],
  ])('GIVEN %s THEN it is a UserError saying what to fix', (_label, input, message) => {
    expect(() => parse(input)).toThrow(UserError);
    expect(() => parse(input)).toThrow(message);
  });

  it('GIVEN a 500-character hostile query THEN parsing is quick and total', () => {
    const hostile = `${'"(*^:NEAR -'.repeat(45)}🚀`.slice(0, 500);
    const start = performance.now();
    const parsed = parse(hostile);
    expect(performance.now() - start).toBeLessThan(50);
    expect(parsed.words.concat(parsed.phrases, parsed.excluded).every((term) => /^[\p{L}\p{N}][\p{L}\p{N}\p{M}_'. -]*$/u.test(term))).toBe(true);
  });

  it('GIVEN only emoji THEN the query is empty (the command says nothing was searchable)', () => {
    expect(isEmptyQuery(parse('🚀'))).toBe(true);
    expect(isEmptyQuery(parse('serving'))).toBe(false);
  });
});

describe('describeQuery and suggestions', () => {
  it('GIVEN the issue example THEN the explanation names tags, dates and words', () => {
    expect(describeQuery(parse('MoE last week disaggregated'))).toBe('`MoE` papers from 2025-12-08 to 2025-12-14 (last week) matching “disaggregated”');
  });

  it('GIVEN exclusions and authors THEN they are described in plain text', () => {
    expect(describeQuery(parse('"kv cache" -survey author:Han 2025-12-18'))).toBe('papers by ‘Han’ on 2025-12-18 matching “"kv cache"” without “survey”');
  });

  it.each(['MoE offloading 2025-12 disaggregated', '"kv cache" -survey author:"Song Han" since 2025-12-01', 'RL rollout last week'])(
    'GIVEN %j THEN its formatted form parses back to the same filters',
    (input) => {
      const parsed = parse(input);
      expect({ ...parse(formatQuery(parsed)), rangeLabel: null }).toEqual({ ...parsed, rangeLabel: null });
    },
  );

  it('GIVEN a narrow query THEN broader ones drop the dates first, then a tag, then the tags', () => {
    const broader = broaderQueries(parse('MoE offloading last week disaggregated')).map(formatQuery);
    expect(broader).toEqual([
      'MoE offloading disaggregated',
      'offloading 2025-12-08..2025-12-14 disaggregated',
      'MoE 2025-12-08..2025-12-14 disaggregated',
      '2025-12-08..2025-12-14 disaggregated',
    ]);
  });
});
