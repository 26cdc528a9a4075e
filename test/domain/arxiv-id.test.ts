import { describe, expect, it } from 'vitest';
import { absUrl, formatArxivId, parseArxivId } from '../../src/domain/arxiv-id.ts';

describe('parseArxivId', () => {
  it.each([
    ['2512.16473', { base: '2512.16473', version: null }],
    ['2512.16473v2', { base: '2512.16473', version: 2 }],
    ['0704.0001v1', { base: '0704.0001', version: 1 }],
    ['cs/0112017', { base: 'cs/0112017', version: null }],
    ['cs/0112017v3', { base: 'cs/0112017', version: 3 }],
    ['math.AT/0309136v1', { base: 'math.AT/0309136', version: 1 }],
    ['hep-th/9901001', { base: 'hep-th/9901001', version: null }],
    ['http://arxiv.org/abs/2512.16792v1', { base: '2512.16792', version: 1 }],
    ['https://arxiv.org/abs/2509.10371', { base: '2509.10371', version: null }],
    ['https://arxiv.org/pdf/2509.10371v4.pdf', { base: '2509.10371', version: 4 }],
    ['oai:arXiv.org:2512.16473v1', { base: '2512.16473', version: 1 }],
    ['arXiv:2401.10000', { base: '2401.10000', version: null }],
    ['1412.9999', { base: '1412.9999', version: null }],
    ['1501.00001', { base: '1501.00001', version: null }],
  ])('GIVEN %s THEN it parses to base id and version', (text, expected) => {
    expect(parseArxivId(text)).toEqual(expected);
  });

  it.each(['', '2512', '2512.123', '2512.16473v0', 'cs/011201', 'not an id', '2512.16473v', '../etc/passwd'])('GIVEN %j THEN it is not an id', (text) => {
    expect(parseArxivId(text)).toBeNull();
  });

  it.each([
    ['2512.0678', 'a 4-digit number after 2014'],
    ['1412.00001', 'a 5-digit number before 2015'],
    ['2513.16473', 'month 13'],
    ['2500.16473', 'month 00'],
    ['0612.1234', 'before April 2007, when the scheme began'],
  ])('GIVEN %s (%s) THEN it is not an id', (text) => {
    expect(parseArxivId(text)).toBeNull();
  });

  it('GIVEN a trailing-zero id THEN it stays a string (2401.10000 is not 2401.1)', () => {
    expect(parseArxivId('2401.10000')?.base).toBe('2401.10000');
  });

  it('GIVEN an id THEN formatting and links keep base and version apart', () => {
    expect(formatArxivId({ base: '2512.16473', version: 2 })).toBe('2512.16473v2');
    expect(absUrl('2512.16473')).toBe('https://arxiv.org/abs/2512.16473');
    expect(absUrl('cs/0112017', 3)).toBe('https://arxiv.org/abs/cs/0112017v3');
  });
});
