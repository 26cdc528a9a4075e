import { describe, expect, it } from 'vitest';
import { clipMrkdwn, escapeMrkdwn, mrkdwnLink, unescapeSlackText } from '../../../src/platforms/slack/escape-mrkdwn.ts';

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel> look', '&lt;!channel&gt; look'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<https://evil|click>', '&lt;https://evil|click&gt;'],
    ['a & b', 'a &amp; b'],
    // `&` first: an entity already in the text shows as typed, it is not decoded by Slack.
    ['&lt;!here&gt;', '&amp;lt;!here&amp;gt;'],
    ['plain *bold* `code`', 'plain *bold* `code`'],
  ])('GIVEN %j THEN it becomes %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('GIVEN what Slack sends in a command THEN unescaping gives back what was typed', () => {
    expect(unescapeSlackText('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
    expect(unescapeSlackText(escapeMrkdwn('&lt; is an entity'))).toBe('&lt; is an entity');
  });
});

describe('clipMrkdwn', () => {
  it('GIVEN text within the limit THEN it is unchanged', () => {
    expect(clipMrkdwn('short', 10)).toBe('short');
  });

  it('GIVEN a cut through an entity THEN the partial entity is dropped, not left broken', () => {
    const clipped = clipMrkdwn(escapeMrkdwn('aaaaaa<b'), 9);
    expect(clipped).toBe('aaaaaa…');
    expect(clipped.length).toBeLessThanOrEqual(9);
  });
});

describe('mrkdwnLink', () => {
  it('GIVEN an arXiv URL THEN the title is the escaped label', () => {
    expect(mrkdwnLink('https://arxiv.org/abs/2512.16473v1', 'A <b> & c')).toBe('<https://arxiv.org/abs/2512.16473v1|A &lt;b&gt; &amp; c>');
  });

  it.each(['javascript:alert(1)', 'https://x.org/a|b', 'https://x.org/<!channel>', 'https://x.org/a b'])(
    'GIVEN the URL %j THEN only the escaped label is shown',
    (url) => {
      expect(mrkdwnLink(url, 'title')).toBe('title');
    },
  );
});
