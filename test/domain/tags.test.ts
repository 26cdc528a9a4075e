import { describe, expect, it } from 'vitest';
import { createVocabulary, DEFAULT_TAGS } from '../../src/domain/tags.ts';

describe('tag vocabulary', () => {
  const vocabulary = createVocabulary();

  it('GIVEN the defaults THEN they are the 19 tags of the original README, in its order', () => {
    expect(vocabulary.names()).toEqual([
      'serving',
      'training',
      'offline',
      'thinking',
      'RL',
      'MoE',
      'RAG',
      'video',
      'multi-modal',
      'sparse',
      'quantization',
      'offloading',
      'hardware',
      'storage',
      'kernel',
      'diffusion',
      'agentic',
      'edge',
      'networking',
    ]);
    expect(DEFAULT_TAGS.every((tag) => tag.definition.length > 20)).toBe(true);
  });

  it.each([
    ['moe', 'MoE'],
    ['MOE', 'MoE'],
    [' rl ', 'RL'],
    ['Mixture of Experts', 'MoE'],
    ['multimodal', 'multi-modal'],
    ['inference', 'serving'],
    ['quant', 'quantization'],
    ['rlhf', 'RL'],
  ])('GIVEN %j THEN it resolves to %s', (word, tag) => {
    expect(vocabulary.resolve(word)).toBe(tag);
  });

  it.each(['scaling', 'LoRA', 'memory', 'scheduling', ''])('GIVEN the invented tag %j THEN it is not a tag', (word) => {
    expect(vocabulary.resolve(word)).toBeNull();
  });
});
