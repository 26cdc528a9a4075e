import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sleepUnlessStopped, stoppableFetch } from '../../../src/platforms/slack/stoppable.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';

describe('the Slack part’s stop: waits end at once, requests on the wire get a grace', () => {
  let api: FakeSlackApi;
  beforeEach(async () => {
    api = await FakeSlackApi.start();
  });
  afterEach(async () => {
    await api.close();
  });

  const post = (fetcher: (url: string, init: RequestInit) => Promise<Response>) =>
    fetcher(`${api.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C1&text=hi',
    });

  it('GIVEN a sleep of a minute WHEN the stop signal comes THEN it ends at once', async () => {
    const controller = new AbortController();
    const sleeping = sleepUnlessStopped(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('GIVEN a post under way that Slack answers within the grace THEN it finishes after the stop signal', async () => {
    api.postLatencyMs = 50;
    const controller = new AbortController();
    const answer = post(stoppableFetch<RequestInit, Response>(controller.signal, 1000, fetch));
    await api.waitForPosts(1);
    controller.abort();
    expect((await answer).status).toBe(200);
  });

  it('GIVEN a post Slack does not answer WHEN the grace after the stop signal is over THEN the request is abandoned', async () => {
    api.postLatencyMs = 60_000;
    const controller = new AbortController();
    const answer = post(stoppableFetch<RequestInit, Response>(controller.signal, 50, fetch));
    await api.waitForPosts(1);
    const stoppedAt = performance.now();
    controller.abort();
    await expect(answer).rejects.toThrow('the bot is stopping');
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
  });
});
