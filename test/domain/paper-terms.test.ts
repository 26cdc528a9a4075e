import { describe, expect, it } from 'vitest';
import { paperTerms } from '../../src/domain/paper-terms.ts';

const terms = (title: string, abstract = '', tldr: string | null = null) => Object.fromEntries(paperTerms({ title, abstract, tldr }));

describe('paperTerms', () => {
  it('GIVEN plurals and inflections THEN they share a Porter stem, as in the full-text index', () => {
    expect(terms('Experts routing; expert routed, cached caching')).toEqual({ expert: 4, rout: 4, cach: 4 });
  });

  it('GIVEN stopwords, one-letter words and figures THEN none is a term', () => {
    expect(terms('A 2.38x speedup of the 70B model with 4 GPUs', '', null)).toEqual({ speedup: 2, model: 2, gpu: 2 });
  });

  it('GIVEN hyphens, slashes and accents THEN words split and fold', () => {
    expect(terms('Many-to-many FP8/INT4 Schrödinger café')).toEqual({ mani: 4, fp8: 2, int4: 2, schroding: 2, cafe: 2 });
  });

  it('GIVEN the same word in each field THEN the title counts twice, TL;DR and abstract once', () => {
    expect(terms('Offloading', 'offloading offloading', 'offloading')).toEqual({ offload: 5 });
  });

  it('GIVEN hostile text THEN it is only words', () => {
    expect(terms('<script>alert(1)</script> `rm -rf` @everyone \u0000\u001b[31m', '', null)).toEqual({ script: 4, alert: 2, rm: 2, rf: 2, everyon: 2 });
  });
});
