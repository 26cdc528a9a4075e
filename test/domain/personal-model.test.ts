import { describe, expect, it } from 'vitest';
import { describePick, explainPick } from '../../src/domain/explain-pick.ts';
import { createFtrl, learn, serializeState, train } from '../../src/domain/linear-model.ts';
import { describeVotesNeeded, personalFeatures, personalScore, trainPersonalModel, votesNeeded } from '../../src/domain/personal-model.ts';
import { surfaceForms, textFeatures } from '../../src/domain/text-features.ts';

const paper = (title: string, abstract = '', tags: string[] = []) => ({ title, abstract, tldr: null, tags });

const LIKED = [
  paper('Paged KV cache management for LLM serving', 'We page the KV cache of long requests to host memory.', ['serving']),
  paper('Prefix caching across requests in LLM inference', 'A KV cache shared between requests with common prefixes.', ['serving']),
  paper('KV cache compression for long-context serving', 'Quantizing the KV cache cuts memory by 4x.', ['serving', 'quantization']),
  paper('Speculative decoding with a tiny draft model', 'A draft model proposes tokens that the target verifies.', ['serving']),
  paper('Disaggregated prefill and decode with KV cache transfer', 'Prefill and decode run on separate GPUs.', ['serving']),
];
const DISLIKED = [
  paper('Byzantine consensus with fast paths', 'A BFT protocol for replicated state machines.'),
  paper('Blockchain sharding for throughput', 'Sharding a ledger across committees.'),
  paper('Federated learning on phones with stragglers', 'Clients train locally and a server averages.', ['edge']),
];

describe('a per-person model', () => {
  it('GIVEN fewer than 5 👍 or 3 👎 THEN it says how many more of each', () => {
    expect(votesNeeded(0, 0)).toEqual({ positive: 5, negative: 3 });
    expect(votesNeeded(5, 2)).toEqual({ positive: 0, negative: 1 });
    expect(votesNeeded(7, 3)).toBeNull();
    expect(describeVotesNeeded({ positive: 2, negative: 1 })).toBe('2 more 👍 (relevant) and 1 more 👎 (not relevant)');
    expect(describeVotesNeeded({ positive: 0, negative: 3 })).toBe('3 more 👎 (not relevant)');
  });

  it('GIVEN a paper THEN its features are the words of its title, abstract and TL;DR, and its tags', () => {
    const features = personalFeatures({ title: 'Expert routing', abstract: 'Balancing load.', tldr: 'Fewer stragglers.', tags: ['MoE'] });
    expect([...features.keys()]).toEqual(expect.arrayContaining(['expert', 'rout', 'balanc', 'load', 'straggler', 'tag:MoE']));
    expect(personalFeatures({ title: 'Expert routing', abstract: '', tldr: null, tags: ['MoE'] }, 0).has('tag:MoE')).toBe(false);
  });

  it('GIVEN 5 liked serving papers and 3 disliked ones THEN an unseen KV-cache paper outscores an unseen consensus paper', () => {
    const model = trainPersonalModel({
      liked: LIKED.map((item) => personalFeatures(item)),
      disliked: DISLIKED.map((item) => personalFeatures(item)),
      alerted: [],
      background: [],
    });
    const kv = personalScore(model, personalFeatures(paper('Offloading the KV cache to CPU memory', 'Serving long contexts.', ['serving', 'offloading'])));
    const consensus = personalScore(model, personalFeatures(paper('Consensus in partially synchronous networks', 'A new BFT protocol.')));
    expect(kv).toBeGreaterThan(0);
    expect(kv).toBeGreaterThan(consensus);
  });

  it('GIVEN examples THEN train() learns exactly what learning them one at a time does', () => {
    const example = { features: textFeatures('Paged KV cache for serving', 'We page the cache.'), label: true, weight: 0.5 };
    const byHand = createFtrl();
    for (let pass = 0; pass < 3; pass++) learn(byHand, example);
    expect(serializeState(train([example], { epochs: 3 }))).toBe(serializeState(byHand));
  });
});

describe('why a paper was picked', () => {
  const model = trainPersonalModel({
    liked: LIKED.map((item) => personalFeatures(item)),
    disliked: DISLIKED.map((item) => personalFeatures(item)),
    alerted: [],
    background: [],
  });
  const liked = LIKED.map((item, index) => ({ id: `2512.1000${index}`, title: item.title, features: personalFeatures(item) }));

  it('GIVEN a picked paper THEN "like" names the liked paper sharing the most weighted words, and the words are as the paper writes them', () => {
    const picked = paper('KV Cache eviction for long-context LLM serving', 'Evicting KV cache entries of long contexts.', ['serving']);
    const why = explainPick(model, personalFeatures(picked), surfaceForms(picked.title, picked.abstract), liked);
    expect(why.like?.title).toBe('KV cache compression for long-context serving');
    // Written forms, not stems; the phrase in place of its words; the tag by name.
    expect(why.words).toEqual(['serving', 'KV Cache', 'LLM']);
  });

  it('GIVEN a paper sharing no word with any liked paper THEN there is no "like", and the line still reads', () => {
    const why = explainPick(model, personalFeatures(paper('Zebrafish', '')), new Map(), liked);
    expect(why.like).toBeNull();
    expect(describePick({ like: null, words: [] })).toBe('your votes');
    expect(describePick({ like: { id: '2512.10000', title: 'Paged\n KV  cache' }, words: ['KV cache', 'serving'] })).toBe(
      'like “Paged KV cache” · KV cache, serving',
    );
  });

  it('GIVEN a tag among the weightiest features THEN it is shown by its name', () => {
    const tagged = trainPersonalModel({
      liked: Array.from({ length: 5 }, (_, index) => personalFeatures(paper(`Study ${index}`, '', ['MoE']))),
      disliked: Array.from({ length: 3 }, (_, index) => personalFeatures(paper(`Survey ${index}`, '', ['edge']))),
      alerted: [],
      background: [],
    });
    const why = explainPick(tagged, personalFeatures(paper('Unrelated title words', '', ['MoE'])), new Map(), []);
    expect(why.words).toContain('MoE');
  });
});
