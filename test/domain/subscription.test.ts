import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.ts';
import { authorMatches, parseSubscriptionTargets, type SubscriptionTarget, subscriptionReason } from '../../src/domain/subscription.ts';
import { createVocabulary } from '../../src/domain/tags.ts';

const vocabulary = createVocabulary();
const targets = (input: string) => parseSubscriptionTargets(input, vocabulary).map(({ kind, value, typed }) => ({ kind, value, typed }));
const target = (kind: SubscriptionTarget['kind'], value: string, typed = value) => ({ kind, value, typed });

describe('parseSubscriptionTargets', () => {
  it.each([
    ['MoE', [target('tag', 'MoE')]],
    ['moe', [target('tag', 'MoE', 'moe')]],
    ['mixture of experts', [target('tag', 'MoE', 'mixture of experts')]],
    ['rlhf', [target('tag', 'RL', 'rlhf')]],
    ['tag:kernel', [target('tag', 'kernel')]],
    ['speculative decoding', [target('keyword', 'speculative decoding')]],
    ['scheduling', [target('keyword', 'scheduling')]],
    ['the scheduling of jobs', [target('keyword', 'scheduling jobs')]],
    ['"kv cache"', [target('phrase', 'kv cache')]],
    ['author:Song Han', [target('author', 'Song Han')]],
    ['author:"Song Han"', [target('author', 'Song Han')]],
    ['MoE speculative decoding serving', [target('tag', 'MoE'), target('keyword', 'speculative decoding'), target('tag', 'serving')]],
    ['"kv cache" author:Song Han', [target('phrase', 'kv cache'), target('author', 'Song Han')]],
    ['MoE moe MOE', [target('tag', 'MoE')]],
    ['🚀', []],
    ['"; DROP TABLE subscriptions; --', [target('phrase', 'DROP TABLE subscriptions')]],
  ])('GIVEN %j THEN it becomes the expected subscriptions', (input, expected) => {
    expect(targets(input)).toEqual(expected);
  });

  it.each([
    ['tag:scaling', /“scaling” is not a tag/],
    ['author:', /needs a name/],
    ['x'.repeat(301), /keep a subscription under 300/],
  ])('GIVEN %j THEN it is a UserError', (input, message) => {
    expect(() => parseSubscriptionTargets(input, vocabulary)).toThrow(UserError);
    expect(() => parseSubscriptionTargets(input, vocabulary)).toThrow(message);
  });

  it('GIVEN case and diacritics THEN the key treats them as one subscription', () => {
    const [first] = parseSubscriptionTargets('author:José Müller', vocabulary);
    const [second] = parseSubscriptionTargets('author:jose muller', vocabulary);
    expect(first?.key).toBe(second?.key);
  });
});

describe('authorMatches', () => {
  it.each([
    ['Song Han', ['Ji Lin', 'Song Han'], true],
    ['han', ['Song Han'], true],
    ['Müller', ['Jonas Muller'], true],
    ['Song Han', ['Han Song'], false],
    ['Han', ['Hanxiao Liu'], false],
    ['Song Han', ['A. Song', 'Han B.'], false],
  ])('GIVEN %j and %j THEN the match is %s', (name, authors, expected) => {
    expect(authorMatches(name, authors)).toBe(expected);
  });
});

describe('subscriptionReason', () => {
  it('GIVEN each kind THEN alerts can say why', () => {
    expect(subscriptionReason({ kind: 'tag', value: 'MoE' })).toBe('MoE');
    expect(subscriptionReason({ kind: 'keyword', value: 'speculative decoding' })).toBe('keyword: speculative decoding');
    expect(subscriptionReason({ kind: 'phrase', value: 'kv cache' })).toBe('phrase: "kv cache"');
    expect(subscriptionReason({ kind: 'author', value: 'Song Han' })).toBe('author: Song Han');
  });
});
