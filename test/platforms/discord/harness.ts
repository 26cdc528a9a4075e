import type { Reply } from '../../../src/domain/reply.ts';
import { createLogger } from '../../../src/log.ts';
import { type ActionStore, cacheActionStore } from '../../../src/platforms/discord/action-store.ts';
import { type DiscordBot, startDiscord } from '../../../src/platforms/discord/start-discord.ts';
import { openCache } from '../../../src/store/cache.ts';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import type { RecordedRequest } from '../../fakes/discord/rest-server.ts';
import { captureStream } from '../../helpers/test-app.ts';
import { FakeCommandPort } from './fake-command-port.ts';

export type Harness = {
  readonly fake: FakeDiscord;
  readonly bot: DiscordBot;
  readonly port: FakeCommandPort;
  readonly store: ActionStore;
  /** Log lines at warn and above, parsed. */
  logs(): { msg: string; [key: string]: unknown }[];
  /** The requests answering the interaction with this token, in order, once `count` have arrived. */
  answers(token: unknown, count: number): Promise<RecordedRequest[]>;
  /** Refusals this test expects (the fake answering 4xx), e.g. `/ → 404 10062$/`. */
  allowRefusals(...patterns: RegExp[]): void;
  /** Stops the bot and the fake; resolves with what the fake refused that the test did not expect. */
  close(): Promise<string[]>;
};

/** A fake Discord, the real discord.js client logged in to it, and a scripted command core. */
export async function startHarness(options: { deferAfterMs?: number; adminRoleId?: string; heartbeatIntervalMs?: number } = {}): Promise<Harness> {
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: options.heartbeatIntervalMs });
  const port = new FakeCommandPort();
  const store = cacheActionStore(openCache('sqlite://:memory:', 'discord-actions'));
  const output = captureStream();
  const allowed: RegExp[] = [];
  const bot = await startDiscord({
    apiUrl: fake.apiUrl,
    token: fake.token,
    adminRoleId: options.adminRoleId,
    port,
    store,
    log: createLogger('warn', output.stream),
    deferAfterMs: options.deferAfterMs ?? 10_000,
  });
  return {
    fake,
    bot,
    port,
    store,
    logs: () =>
      output
        .text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    async answers(token, count) {
      const mine = (request: RecordedRequest) => request.path.includes(`/${String(token)}`);
      let seen = 0;
      await fake.rest.waitFor((request) => mine(request) && ++seen === count);
      return fake.rest.requests.filter(mine);
    },
    allowRefusals(...patterns) {
      allowed.push(...patterns);
    },
    async close() {
      await bot.stop();
      await fake.close();
      return fake.rest.refusals().filter((refusal) => !allowed.some((pattern) => pattern.test(refusal)));
    },
  };
}

/** A reply the test releases by hand: lets it see the deferral before the answer exists. */
export function gate(): { promise: Promise<Reply>; open(reply: Reply): void } {
  let open: (reply: Reply) => void = () => {};
  const promise = new Promise<Reply>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
