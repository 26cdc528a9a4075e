import type { AlertMessage, Messenger } from '../src/domain/delivery.ts';
import { createLogger } from '../src/log.ts';
import { ChannelPacer } from '../src/platforms/slack/channel-pacer.ts';
import { createApiClient } from '../src/platforms/slack/create-slack-app.ts';
import { renderAlert } from '../src/platforms/slack/render-alert.ts';
import { createSlackMessenger } from '../src/platforms/slack/slack-messenger.ts';
import { FakeSlackApi, type PostedMessage } from '../test/fakes/slack-api.ts';
import { paperView } from '../test/platforms/slack/slack-test-kit.ts';
import type { Benchmark } from './run.ts';
import { ackTimeRun } from './slack-ack-time.ts';

/** An alert of `messages` Slack messages' worth of papers (about 20 papers a message). */
function alertOfMessages(messages: number): AlertMessage {
  let count = 1;
  const alert = (n: number): AlertMessage => ({
    day: '2025-12-18',
    papers: Array.from({ length: n }, (_, index) => paperView(index, { reasons: ['MoE', 'keyword: speculative decoding'] })),
  });
  while (renderAlert(alert(count)).length < messages) count += 1;
  return alert(count);
}

function messenger(fake: FakeSlackApi, pacerIntervalMs: number): Messenger {
  const log = createLogger('silent');
  const client = createApiClient({ mode: 'socket', apiUrl: fake.apiUrl, botToken: 'xoxb-bench', appToken: 'xapp-bench', adminUsers: [] }, log);
  return createSlackMessenger({ client, log, pacer: new ChannelPacer({ intervalMs: pacerIntervalMs }) });
}

/** Messages per second within each channel, from the fake's arrival times (first to last). */
function perChannelRates(posted: readonly PostedMessage[]): number[] {
  const byChannel = new Map<string, number[]>();
  for (const message of posted) byChannel.set(message.channel, [...(byChannel.get(message.channel) ?? []), message.call.at]);
  return [...byChannel.values()]
    .filter((times) => times.length > 1)
    .map((times) => ((times.length - 1) * 1000) / ((times.at(-1) as number) - (times[0] as number)));
}

async function dmRun(label: string, people: number, messagesEach: number, pacerIntervalMs: number): Promise<void> {
  const fake = await FakeSlackApi.start();
  fake.perChannelIntervalMs = 1000;
  fake.botTokens.add('xoxb-bench');
  fake.addUsers(...Array.from({ length: people }, (_, index) => `U${1000 + index}`));
  try {
    const sender = messenger(fake, pacerIntervalMs);
    const alert = alertOfMessages(messagesEach);
    const expected = people * renderAlert(alert).length;
    const start = performance.now();
    const results = await Promise.all(Array.from({ length: people }, (_, index) => sender.sendAlert(`U${1000 + index}`, alert)));
    const seconds = (performance.now() - start) / 1000;
    const failed = results.filter((result) => !result.ok).length;
    const rates = perChannelRates(fake.posted);
    const meanRate = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
    console.log(
      `${label.padEnd(34)} ${String(fake.posted.length).padStart(4)}/${expected} delivered, ${failed} failed, ` +
        `${fake.rateLimitedCount} × 429, ${seconds.toFixed(1)} s, ${(fake.posted.length / seconds).toFixed(1)} msg/s overall, ` +
        `per DM ${meanRate.toFixed(3)} msg/s (min ${Math.min(...rates).toFixed(3)})`,
    );
  } finally {
    await fake.close();
  }
}

export const slackBench: Benchmark = {
  name: 'slack',
  summary: 'DM sender against a fake Web API enforcing 1 message/s per channel with 429s; /papers ack time over a 100,000-paper archive',
  async run() {
    console.log('fake Slack: chat.postMessage limited to 1 message/s per channel (429 + Retry-After beyond)');
    await dmRun('1 person × 8 messages, paced', 1, 8, 1000);
    await dmRun('50 people × 3 messages, paced', 50, 3, 1000);
    await dmRun('1 person × 8 messages, unpaced', 1, 8, 0);
    await ackTimeRun();
  },
};
