import { describe, expect, it } from 'vitest';
import { reactionVote, readReaction } from '../../../src/platforms/slack/reaction-vote.ts';

const event = (fields: Partial<Parameters<typeof readReaction>[0]> = {}) => ({
  user: 'U1',
  reaction: '+1',
  item_user: 'UBOT',
  item: { type: 'message', channel: 'C1', ts: '1766000000.000100' },
  ...fields,
});

describe('which Slack reactions are votes', () => {
  it.each([
    ['+1', 'relevant'],
    ['thumbsup', 'relevant'],
    ['+1::skin-tone-4', 'relevant'],
    ['-1', 'not-relevant'],
    ['thumbsdown::skin-tone-2', 'not-relevant'],
    ['tada', null],
    ['+1::skin-tone-9', null],
    ['heavy_plus_sign', null],
  ])('GIVEN :%s: THEN %s', (name, expected) => {
    expect(reactionVote(name)).toBe(expected);
  });

  it('GIVEN a 👍 by a person on a message of the bot THEN it is a vote on that message', () => {
    expect(readReaction(event(), 'UBOT')).toEqual({ value: 'relevant', channel: 'C1', ts: '1766000000.000100' });
  });

  it.each([
    ['by the bot itself', { user: 'UBOT' }],
    ['on someone else’s message', { item_user: 'U2' }],
    ['on a file', { item: { type: 'file' } }],
    ['with another emoji', { reaction: 'eyes' }],
  ])('GIVEN a reaction %s THEN it is no vote', (_label, fields) => {
    expect(readReaction(event(fields), 'UBOT')).toBeNull();
  });
});
