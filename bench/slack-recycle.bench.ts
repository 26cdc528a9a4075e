/**
 * Socket Mode across Slack's recycles, in-process against the strict local fakes: from Slack's
 * `disconnect` message (or a connection dropped without one) to the `hello` on the next
 * connection, and how long a slash command typed right after a recycle waits for its answer.
 * Each round is a fresh bot, so every recycle is the first one (no backoff carried over).
 */
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import type { ReconnectTiming } from '../src/platforms/slack/reconnect-policy.ts';
import { type SlackHandle, startSlack } from '../src/platforms/slack/start-slack.ts';
import { FakeSlackApi } from '../test/fakes/slack-api.ts';
import { slashCommandPayload } from '../test/fakes/slack-signing.ts';
import { type DisconnectReason, FakeSlackSocket } from '../test/fakes/slack-socket.ts';
import { TEST_ENV } from '../test/helpers/test-app.ts';
import { RecordingRunner } from '../test/platforms/slack/slack-test-kit.ts';
import type { Benchmark } from './run.ts';
import { percentile } from './slack-ack-time.ts';

const ROUNDS = 5;

type Rig = { readonly api: FakeSlackApi; readonly socket: FakeSlackSocket; readonly slack: SlackHandle };

async function withBot<T>(use: (rig: Rig) => Promise<T>, reconnect: Partial<ReconnectTiming> = {}): Promise<T> {
  const api = await FakeSlackApi.start();
  const socket = await FakeSlackSocket.start();
  api.socket = socket;
  const config = loadConfig({ ...TEST_ENV, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: api.apiUrl });
  const slack = await startSlack(config, createLogger('silent'), { runner: new RecordingRunner(), reconnect });
  if (!slack) throw new Error('slack did not start');
  try {
    await socket.waitForConnections(1);
    return await use({ api, socket, slack });
  } finally {
    await slack.stop();
    await socket.close();
    await api.close();
  }
}

/** Milliseconds from `act` to the fake's next accepted connection (it sends hello as it accepts). */
async function toNextHello({ socket }: Rig, act: () => void): Promise<number> {
  const next = socket.connections + 1;
  const started = performance.now();
  act();
  await socket.waitForConnections(next);
  return performance.now() - started;
}

async function commandAfterRecycle({ api, socket }: Rig): Promise<number> {
  const started = performance.now();
  socket.disconnect('refresh_requested');
  const payload = slashCommandPayload({ command: '/papers', text: 'MoE', user_id: 'UMEMBER', channel_id: 'C100', response_url: api.responseUrl('after') });
  await socket.deliver('slash_commands', payload);
  await api.waitForResponses(1);
  return performance.now() - started;
}

function report(label: string, samples: readonly number[]): void {
  console.log(
    `${label.padEnd(46)} median ${percentile(samples, 50).toFixed(0).padStart(5)} ms, max ${Math.max(...samples)
      .toFixed(0)
      .padStart(5)} ms (${samples.length} rounds)`,
  );
}

async function rounds(run: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) samples.push(await run());
  return samples;
}

export const slackRecycleBench: Benchmark = {
  name: 'slack-recycle',
  summary: "Socket Mode: Slack's disconnect (or a dropped connection) to the next hello; a command typed right after a recycle",
  async run() {
    const reasons: DisconnectReason[] = ['warning', 'refresh_requested', 'too_many_websockets'];
    for (const reason of reasons) {
      report(`disconnect (${reason}) → next hello`, await rounds(() => withBot((rig) => toNextHello(rig, () => rig.socket.disconnect(reason)))));
    }
    const drop = (rig: Rig) => toNextHello(rig, () => rig.socket.drop());
    // A connection dropped within 30 s of opening counts as a failure (1 s backoff); one that had lasted is reopened at once.
    report('dropped connection, just opened → next hello', await rounds(() => withBot(drop)));
    report('dropped connection, had lasted → next hello', await rounds(() => withBot(drop, { stableMs: 0 })));
    report('/papers right after a recycle → answered', await rounds(() => withBot(commandAfterRecycle)));
  },
};
