import { describe, expect, it } from 'vitest';
import { surfaceForms, textFeatures } from '../../src/domain/text-features.ts';

describe('textFeatures', () => {
  it('GIVEN a title and an abstract THEN stems and word pairs are features, stopwords are not, and the vector has unit length', () => {
    const features = textFeatures('Serving LLMs with a Paged KV-Cache', 'We propose paging the KV cache; serving gets 2x faster.');

    expect([...features.keys()]).toEqual(expect.arrayContaining(['serv', 'llm', 'kv', 'cach', 'kv cach', 'page']));
    for (const stopword of ['we', 'with', 'propose', 'the', 'a', '2x', '2']) expect(features.has(stopword)).toBe(false);
    const length = Math.sqrt([...features.values()].reduce((sum, value) => sum + value * value, 0));
    expect(length).toBeCloseTo(1, 10);
    expect(features.get('kv cach')).toBeGreaterThan(features.get('faster') ?? 0);
  });

  it('GIVEN a title word THEN it weighs more than the same word in the abstract', () => {
    const inTitle = textFeatures('Quantization', 'A study of kernels.');
    const inAbstract = textFeatures('Kernels', 'A study of quantization.');
    expect(inTitle.get('quantiz')).toBeGreaterThan(inAbstract.get('quantiz') ?? 0);
  });

  it('GIVEN empty text THEN there are no features', () => {
    expect(textFeatures('', '').size).toBe(0);
  });

  it('GIVEN a text THEN each feature maps back to the words as written', () => {
    const forms = surfaceForms('Serving LLMs with a Paged KV-Cache');
    expect(forms.get('kv cach')).toBe('KV Cache');
    expect(forms.get('serv')).toBe('Serving');
  });
});
