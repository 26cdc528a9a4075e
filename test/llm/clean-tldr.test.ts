import { describe, expect, it } from 'vitest';
import { cleanTldr, TLDR_MAX_WORDS } from '../../src/llm/clean-tldr.ts';

describe('cleanTldr', () => {
  it.each([
    ['**Bold** and `code` text', 'Bold and code text'],
    ['Ping <!channel> and <@U123> and @everyone', 'Ping and and everyone'],
    ['See [the paper](https://evil.example/x) now', 'See the paper now'],
    ['Visit https://evil.example/x or www.evil.example today', 'Visit or today'],
    ['TL;DR: Speeds up serving.', 'Speeds up serving.'],
    ['Latency < 10 ms and throughput > 2x', 'Latency < 10 ms and throughput > 2x'],
    ['line one\nline two', 'line one line two'],
  ])('GIVEN %j THEN it becomes %j', (text, expected) => {
    expect(cleanTldr(text)).toBe(expected);
  });

  it('GIVEN only markup THEN there is no TL;DR', () => {
    expect(cleanTldr('** <!here> **')).toBeNull();
  });

  it('GIVEN more than 60 words THEN it is cut to 60 with an ellipsis', () => {
    const long = Array.from({ length: 80 }, (_, index) => `w${index}`).join(' ');
    const cut = cleanTldr(long) ?? '';
    expect(cut.split(' ')).toHaveLength(TLDR_MAX_WORDS);
    expect(cut.endsWith('w59…')).toBe(true);
  });
});
