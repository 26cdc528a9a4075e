import { describe, expect, it } from 'vitest';
import { createTermMatcher } from '../../src/llm/term-matcher.ts';

describe('createTermMatcher', () => {
  it.each([
    ['kv cache', 'Compressing the KV-cache of LLMs', true],
    ['kv cache', 'Compressing the KV  cache', true],
    ['quantiz*', 'Quantized attention kernels', true],
    ['quantiz*', 'Post-training quantization', true],
    ['llm*', 'Serving LLMs at scale', true],
    ['llm*', 'xLLM technical report', false],
    ['rag', 'Fragment scheduling', false],
    ['rag', 'RAG pipelines', true],
    ['i/o', 'Asynchronous I/O for checkpoints', true],
    ['moe*', 'MoE-based LLMs', true],
    ['gpu*', 'CPU-GPU collaborative inference', true],
    ['edge', 'Knowledge edges in graphs', false],
  ])('GIVEN term %j and text %j THEN match is %s', (term, text, expected) => {
    expect(createTermMatcher([term]).test(text)).toBe(expected);
  });

  it('GIVEN several terms THEN matches lists the ones found, in listed order', () => {
    expect(createTermMatcher(['serving', 'gpu*', 'rdma']).matches('RDMA-based LLM serving')).toEqual(['serving', 'rdma']);
  });

  it('GIVEN several terms THEN count adds up the places they occur, one per place with the longest term winning', () => {
    const matcher = createTermMatcher(['kv cache', 'kv cache*', 'cache', 'llm*']);
    expect(matcher.count('LLM KV-caches and the KV cache of LLMs; a cache.')).toBe(5);
    expect(createTermMatcher([]).count('anything')).toBe(0);
  });
});
