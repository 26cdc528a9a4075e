import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { classifySlackError } from '../../../src/platforms/slack/classify-slack-error.ts';

const platformError = (error: string) => Object.assign(new Error(error), { code: webApi.ErrorCode.PlatformError, data: { ok: false, error } });

describe('classifySlackError', () => {
  it.each([
    ['channel_not_found', true],
    ['not_in_channel', true],
    ['account_inactive', true],
    ['user_disabled', true],
    ['is_archived', true],
    ['missing_scope', true],
    ['invalid_blocks', true],
    ['ratelimited', false],
    ['rate_limited', false],
    ['internal_error', false],
    ['service_unavailable', false],
  ])('GIVEN Slack answers %s THEN permanent is %s', (code, permanent) => {
    expect(classifySlackError(platformError(code))).toMatchObject({ code, permanent });
  });

  it('GIVEN a 429 THEN it is transient and carries Retry-After in milliseconds', () => {
    const error = Object.assign(new Error('rate limited'), { code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(classifySlackError(error)).toEqual({ permanent: false, code: 'ratelimited', reason: 'rate limited by Slack', retryAfterMs: 7000 });
  });

  it.each([
    [503, false],
    [404, true],
  ])('GIVEN HTTP %i THEN permanent is %s', (statusCode, permanent) => {
    expect(classifySlackError(Object.assign(new Error('http'), { code: webApi.ErrorCode.HTTPError, statusCode }))).toMatchObject({ permanent });
  });

  it('GIVEN a network failure THEN it is transient and reads "cannot reach Slack" with what the network said', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const original = new TypeError('fetch failed', { cause: refused });
    expect(classifySlackError(Object.assign(new Error('A request error occurred: fetch failed'), { code: webApi.ErrorCode.RequestError, original }))).toEqual({
      permanent: false,
      code: 'request_error',
      reason: 'cannot reach Slack (connect ECONNREFUSED 127.0.0.1:9)',
    });
  });

  it('GIVEN not_in_channel THEN the reason tells an admin what to do', () => {
    expect(classifySlackError(platformError('not_in_channel')).reason).toContain('/invite @lmsys-papers');
  });
});
