import { describe, expect, it } from 'vitest';
import {
  createFtrl,
  deserializeModel,
  deserializeState,
  learn,
  logOdds,
  modelOf,
  probability,
  serializeModel,
  serializeState,
  topContributions,
  topWeights,
  train,
} from '../../src/domain/linear-model.ts';
import { textFeatures } from '../../src/domain/text-features.ts';

const liked = ['Paged KV cache for LLM serving', 'Prefix caching in LLM inference', 'KV cache compression for long contexts'];
const disliked = ['Byzantine consensus with fast paths', 'Blockchain sharding for throughput', 'Consensus under partial synchrony'];
const examples = [
  ...liked.map((title) => ({ features: textFeatures(title, ''), label: true })),
  ...disliked.map((title) => ({ features: textFeatures(title, ''), label: false })),
];

describe('the FTRL linear model', () => {
  it('GIVEN a handful of labelled titles THEN it separates unseen titles of the same kinds and its top words say why', () => {
    const model = modelOf(train(examples, { epochs: 20 }));

    expect(probability(model, textFeatures('A KV cache manager for LLM serving', ''))).toBeGreaterThan(0.7);
    expect(probability(model, textFeatures('Consensus for blockchain ledgers', ''))).toBeLessThan(0.3);
    const why = topContributions(model, textFeatures('A KV cache manager for LLM serving', ''), 2).map((entry) => entry.feature);
    expect(why).toContain('cach');
    expect(topWeights(model, 3).negative.map(([feature]) => feature)).toContain('consensu');
  });

  it('GIVEN the same examples THEN training is deterministic; L1 keeps unused words out of the model', () => {
    const first = modelOf(train(examples));
    expect(serializeModel(modelOf(train(examples)))).toBe(serializeModel(first));
    expect(first.weights.size).toBeLessThan(new Set(examples.flatMap((example) => [...example.features.keys()])).size + 1);
  });

  it('GIVEN an offset THEN the model corrects it rather than replacing it, and without an intercept an unknown text keeps the offset', () => {
    const settings = { alpha: 0.5, beta: 1, l1: 0, l2: 1, intercept: false };
    const model = modelOf(train(examples, { settings }));
    expect(logOdds(model, new Map(), 2.5)).toBe(2.5);
    expect(model.intercept).toBe(0);
  });

  it('GIVEN one more example THEN an incremental step moves the prediction toward it; state and model survive JSON', () => {
    const state = train(examples);
    const text = textFeatures('Consensus for LLM serving clusters', '');
    const before = probability(modelOf(state), text);
    for (let step = 0; step < 5; step++) learn(state, { features: text, label: false, weight: 2 });
    expect(probability(modelOf(state), text)).toBeLessThan(before);

    const restored = deserializeState(serializeState(state));
    expect(modelOf(restored)).toEqual(modelOf(state));
    const model = modelOf(state);
    expect(probability(deserializeModel(serializeModel(model)), text)).toBeCloseTo(probability(model, text), 4);
    expect(createFtrl().examples).toBe(0);
  });
});
