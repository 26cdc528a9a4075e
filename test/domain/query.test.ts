import { describe, expect, it } from 'vitest';
import { dayIn } from '../../src/domain/calendar.ts';
import { broaderQueries, describeQuery, formatQuery } from '../../src/domain/describe-query.ts';
import { UserError } from '../../src/domain/errors.ts';
import { type Alternative, EMPTY_QUERY, hasText, isEmptyQuery, parseQuery, type Query } from '../../src/domain/query.ts';
import { createVocabulary } from '../../src/domain/tags.ts';
import { fixedClock } from '../helpers/test-app.ts';

// Friday 2025-12-19, 09:30 in Shanghai (still Thursday evening in New York).
const clock = fixedClock('2025-12-19T01:30:00Z');
const vocabulary = createVocabulary();
const today = dayIn(clock.now(), 'Asia/Shanghai');
const parse = (input: string) => parseQuery(input, { vocabulary, today });
const query = (fields: Partial<Query>): Query => ({ ...EMPTY_QUERY, ...fields });
const tag = (value: string): Alternative => ({ kind: 'tag', value });
const text = (value: string): Alternative => ({ kind: 'text', value });
const author = (value: string): Alternative => ({ kind: 'author', value });

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
    ['NEAR(kv cache, 5) OR prefill*', { words: ['NEAR', 'kv', 'cache'], anyOf: [[text('5'), text('prefill')]] }],
    ['title:kv ^cache', { words: ['title', 'kv', 'cache'] }],
    ['(kv AND cache) NOT prefill', { words: ['kv', 'cache'], excluded: ['prefill'] }],
    ["'; DROP TABLE papers; --", { words: ['DROP', 'TABLE'] }],
    ['1 OR 1=1', { anyOf: [[text('1'), text('1 1')]] }],
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

describe('exclusions by prefix (-tag:, -author:, not tag:)', () => {
  it.each<[string, Partial<Query>]>([
    ['-tag:MoE', { excludedTags: ['MoE'] }],
    ['serving -tag:MoE', { tags: ['serving'], excludedTags: ['MoE'] }],
    ['serving -TAG: moe', { tags: ['serving'], excludedTags: ['MoE'] }],
    ['-tag:"multi-modal" video', { tags: ['video'], excludedTags: ['multi-modal'] }],
    ['not tag:MoE serving', { tags: ['serving'], excludedTags: ['MoE'] }],
    ['not mixture of experts', { excludedTags: ['MoE'] }],
    ['-author:"Song Han" kv', { words: ['kv'], excludedAuthors: ['Song Han'] }],
    ['kv -author:Han', { words: ['kv'], excludedAuthors: ['Han'] }],
    ['kv not author:Han', { words: ['kv'], excludedAuthors: ['Han'] }],
    ['kv not "prefix caching"', { words: ['kv'], excluded: ['prefix caching'] }],
  ])('GIVEN %j THEN the prefixed term is left out, not searched for', (input, expected) => {
    expect(parse(input)).toEqual(query(expected));
  });

  it.each([
    ['-tag:scaling', /“scaling” is not a tag/],
    ['kv -author:', /`author:` needs a name/],
  ])('GIVEN %j THEN it is a UserError saying what to fix', (input, message) => {
    expect(() => parse(input)).toThrow(UserError);
    expect(() => parse(input)).toThrow(message);
  });
});

describe('OR', () => {
  it.each<[string, Partial<Query>]>([
    ['MoE OR serving', { anyOf: [[tag('MoE'), tag('serving')]] }],
    ['moe or serving', { anyOf: [[tag('MoE'), tag('serving')]] }],
    // OR binds tighter than the implicit AND: only the neighbours of each OR are alternatives.
    ['kv MoE OR serving', { words: ['kv'], anyOf: [[tag('MoE'), tag('serving')]] }],
    ['kv cache OR prefill', { words: ['kv'], anyOf: [[text('cache'), text('prefill')]] }],
    ['MoE OR serving OR "speculative decoding" kv', { words: ['kv'], anyOf: [[tag('MoE'), tag('serving'), text('speculative decoding')]] }],
    [
      'MoE OR serving RL OR training',
      {
        anyOf: [
          [tag('MoE'), tag('serving')],
          [tag('RL'), tag('training')],
        ],
      },
    ],
    ['mixture of experts OR llm inference', { anyOf: [[tag('MoE'), tag('serving')]] }],
    ['tag:kernel OR author:"Song Han" OR author:Lin', { anyOf: [[tag('kernel'), author('Song Han'), author('Lin')]] }],
    ['fp8/int4 OR gemm', { anyOf: [[text('fp8 int4'), text('gemm')]] }],
    ['serving or the training', { anyOf: [[tag('serving'), tag('training')]] }],
    [
      'MoE OR serving last week -survey',
      {
        anyOf: [[tag('MoE'), tag('serving')]],
        excluded: ['survey'],
        range: { from: '2025-12-08', to: '2025-12-14' },
        rangeLabel: 'last week',
      },
    ],
    // degenerate ORs
    ['MoE OR MoE', { tags: ['MoE'] }],
    ['MoE OR moe', { tags: ['MoE'] }],
    ['MoE OR', { tags: ['MoE'] }],
    ['OR MoE', { tags: ['MoE'] }],
    ['OR', {}],
    ['kv OR 🚀', { words: ['kv'] }],
    ['"OR"', { phrases: ['OR'] }],
  ])('GIVEN %j THEN it parses to the expected groups', (input, expected) => {
    expect(parse(input)).toEqual(query(expected));
  });

  it.each([
    ['today OR yesterday', /not dates: for several days write a range/],
    ['MoE OR last week', /not dates/],
    ['-survey OR kv', /not exclusions/],
    ['kv OR not prefill', /not exclusions/],
    ['tag:scaling OR MoE', /“scaling” is not a tag/],
    [
      `${Array.from({ length: 13 }, (_, index) => `w${index}`).join(' OR ')} ${Array.from({ length: 12 }, (_, index) => `v${index}`).join(' OR ')}`,
      /25 terms; use at most 24/,
    ],
  ])('GIVEN %j THEN it is a UserError saying what to fix', (input, message) => {
    expect(() => parse(input)).toThrow(UserError);
    expect(() => parse(input)).toThrow(message);
  });

  it('GIVEN an OR of tags only THEN the query has no text to rank; with a word in it, it does', () => {
    expect(hasText(parse('MoE OR serving'))).toBe(false);
    expect(hasText(parse('MoE OR prefill'))).toBe(true);
    expect(isEmptyQuery(parse('MoE OR serving'))).toBe(false);
  });
});

describe('date phrases at the edges of the calendar, and open ranges', () => {
  it.each<[string, Partial<Query>]>([
    ['2025-12-01..', { range: { from: '2025-12-01', to: null }, rangeLabel: 'since 2025-12-01' }],
    ['2025-12-01 ..', { range: { from: '2025-12-01', to: null }, rangeLabel: 'since 2025-12-01' }],
    ['..2025-12-01', { range: { from: null, to: '2025-12-01' }, rangeLabel: 'until 2025-12-01' }],
    ['from 2025-12-01 to', { range: { from: '2025-12-01', to: null }, rangeLabel: 'since 2025-12-01' }],
    ['serving 2025-12-01 to', { tags: ['serving'], range: { from: '2025-12-01', to: null }, rangeLabel: 'since 2025-12-01' }],
    ['2025-12-01.. "kv cache"', { phrases: ['kv cache'], range: { from: '2025-12-01', to: null }, rangeLabel: 'since 2025-12-01' }],
    ['2025-12.. serving', { tags: ['serving'], range: { from: '2025-12-01', to: null }, rangeLabel: 'since 2025-12' }],
    ['from last week to', { range: { from: '2025-12-08', to: null }, rangeLabel: 'since last week' }],
    ['dec 2025..', { range: { from: '2025-12-01', to: null }, rangeLabel: 'since dec 2025' }],
    // `to` inside a sentence stays a word
    ['2025-12-01 to serving', { tags: ['serving'], range: { from: '2025-12-01', to: '2025-12-01' }, rangeLabel: '2025-12-01' }],
    ['scaling to 2048 GPUs', { words: ['scaling', '2048', 'GPUs'] }],
    // a year is any 4-digit number after since/until/from or next to a range mark; elsewhere only 1991–this year
    ['since 2030', { range: { from: '2030-01-01', to: null }, rangeLabel: 'since 2030' }],
    ['2030..2031', { range: { from: '2030-01-01', to: '2031-12-31' }, rangeLabel: '2030 .. 2031' }],
    ['from 2025 to 2030', { range: { from: '2025-01-01', to: '2030-12-31' }, rangeLabel: 'from 2025 to 2030' }],
    ['2025 to 2048', { words: ['2048'], range: { from: '2025-01-01', to: '2025-12-31' }, rangeLabel: '2025' }],
    ['9999', { words: ['9999'] }],
    ['dec 9999', { range: { from: '9999-12-01', to: '9999-12-31' }, rangeLabel: 'dec 9999' }],
    ['until 9999-12', { range: { from: null, to: '9999-12-31' }, rangeLabel: 'until 9999-12' }],
    ['since 0000-01-01', { range: { from: '0000-01-01', to: null }, rangeLabel: 'since 0000-01-01' }],
    ['jan 0001', { range: { from: '0001-01-01', to: '0001-01-31' }, rangeLabel: 'jan 0001' }],
    ['past 36000 days', { range: { from: '1927-05-29', to: '2025-12-19' }, rangeLabel: 'past 36000 days' }],
  ])('GIVEN %j THEN it reads as the expected days', (input, expected) => {
    expect(parse(input)).toEqual(query(expected));
  });

  it.each([
    ['after 9999-12-31', /“after 9999-12-31” reaches outside the calendar I can search: days from 0000-01-01 to 9999-12-31/],
    ['after 9999', /“after 9999” reaches outside the calendar/],
    ['after dec 9999', /“after dec 9999” reaches outside the calendar/],
    ['before 0000-01-01', /“before 0000-01-01” reaches outside the calendar/],
    ['before 0000', /“before 0000” reaches outside the calendar/],
    ['2025-13', /“2025-13” is not a month/],
    ['0000-00-00', /“0000-00-00” is not a date/],
    ['past 100000 days', /further than the archive/],
    ['past 101 years', /further than the archive/],
  ])('GIVEN %j THEN it is a UserError, never a range of every paper', (input, message) => {
    expect(() => parse(input)).toThrow(UserError);
    expect(() => parse(input)).toThrow(message);
  });
});

describe('describeQuery and suggestions', () => {
  it('GIVEN the issue example THEN the explanation names tags, dates and words', () => {
    expect(describeQuery(parse('MoE last week disaggregated'))).toBe('`MoE` papers from 2025-12-08 to 2025-12-14 (last week) matching “disaggregated”');
  });

  it('GIVEN exclusions and authors THEN they are described in plain text', () => {
    expect(describeQuery(parse('"kv cache" -survey author:Han 2025-12-18'))).toBe('papers by ‘Han’ on 2025-12-18 matching “"kv cache"” without “survey”');
  });

  it.each([
    'MoE offloading 2025-12 disaggregated',
    '"kv cache" -survey author:"Song Han" since 2025-12-01',
    'RL rollout last week',
    'kv MoE OR serving OR "speculative decoding" -author:Lin',
    'author:Han OR author:"Song Han" -tag:edge 2025-12-01..',
    // Quoted in the formatted form, so "reinforcement" never merges with "learning" into the tag RL.
    'reinforcement "learning" OR cache',
  ])('GIVEN %j THEN its formatted form parses back to the same filters', (input) => {
    const parsed = parse(input);
    expect({ ...parse(formatQuery(parsed)), rangeLabel: null }).toEqual({ ...parsed, rangeLabel: null });
  });

  it('GIVEN OR groups and excluded authors THEN they are described in words', () => {
    expect(describeQuery(parse('kv MoE OR serving -author:Lin'))).toBe('papers with `MoE` or `serving` matching “kv” without author ‘Lin’');
    expect(describeQuery(parse('"kv cache" OR author:Han'))).toBe('papers with “"kv cache"” or author ‘Han’');
  });

  it('GIVEN an OR that matched nothing THEN a broader query drops it', () => {
    expect(broaderQueries(parse('kv MoE OR serving')).map(formatQuery)).toContain('kv');
  });

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
