import { once } from 'node:events';
import { FakeDiscord } from '../test/fakes/discord/fake-discord.ts';
import { closedPort, type Served, serveWithDiscord as serve } from '../test/helpers/serve-process.ts';
import type { Benchmark } from './run.ts';

const RUNS = Number(process.env.BENCH_DISCORD_STOP_RUNS ?? 5);
const GIVE_UP_MS = 60_000;

/** SIGTERM to exit, in ms; Infinity when the process is still there after a minute. */
async function stopTimed(served: Served): Promise<number> {
  const exited = once(served.child, 'exit');
  const started = performance.now();
  served.child.kill('SIGTERM');
  const giveUp = new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), GIVE_UP_MS).unref());
  const ms = await Promise.race([exited.then(() => performance.now() - started), giveUp]);
  served.child.kill('SIGKILL');
  return ms;
}

/** Each state brings a real `serve` to it against the fake, then times its SIGTERM. */
const STATES: Record<string, () => Promise<number>> = {
  'connecting, gateway refuses connections': async () => {
    const fake = await FakeDiscord.start({ gatewayUrl: `ws://127.0.0.1:${await closedPort()}` });
    const served = serve(fake);
    await served.seen('discord gateway reconnecting', 2);
    const ms = await stopTimed(served);
    await fake.close();
    return ms;
  },
  'connecting, gateway never answers': async () => {
    const fake = await FakeDiscord.start();
    fake.gateway.stopAnswering('gateway');
    const held = once(fake.gateway, 'held');
    const served = serve(fake);
    await held;
    const ms = await stopTimed(served);
    await fake.close();
    return ms;
  },
  'reconnecting, gateway gone after READY': async () => {
    const fake = await FakeDiscord.start();
    const served = serve(fake);
    await served.seen('lmsys-papers is running');
    await fake.gateway.close();
    await served.seen('discord gateway reconnecting', 2);
    const ms = await stopTimed(served);
    await fake.rest.close();
    return ms;
  },
  'resuming, resume URL never answers': async () => {
    const fake = await FakeDiscord.start();
    const served = serve(fake);
    await served.seen('lmsys-papers is running');
    fake.gateway.stopAnswering('resume');
    const held = once(fake.gateway, 'held');
    fake.gateway.disconnect(4000);
    await held;
    const ms = await stopTimed(served);
    await fake.close();
    return ms;
  },
};

/**
 * SIGTERM-to-exit of a real `lmsys-papers serve` child with the Discord gateway unreachable, in
 * each state the connection can be in (the target is 5 s; test/platforms/discord/serve-stop.test.ts
 * asserts it).
 */
export const discordStopBench: Benchmark = {
  name: 'discord-stop',
  summary: 'SIGTERM-to-exit of `lmsys-papers serve` with the Discord gateway unreachable, per connection state',
  async run() {
    for (const [state, run] of Object.entries(STATES)) {
      const times: number[] = [];
      for (let index = 0; index < RUNS; index++) times.push(await run());
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
      const max = times.at(-1) ?? Number.NaN;
      console.log(`${state}: median ${median.toFixed(0)} ms, max ${max.toFixed(0)} ms (${RUNS} runs)`);
    }
  },
};
