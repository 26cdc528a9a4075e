import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import { closedPort, type Served, serveWithDiscord as serve } from '../../helpers/serve-process.ts';

/** The target: SIGTERM ends `serve` within 5 s in every state. */
const STOP_WITHIN_MS = 5000;

/** Sends SIGTERM and resolves with the milliseconds until the process exited, and how. */
async function stopTimed(served: Served): Promise<{ ms: number; code: number | null }> {
  const exited = once(served.child, 'exit');
  const started = performance.now();
  served.child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return { ms: performance.now() - started, code };
}

// Each test starts a real Node process; give a loaded machine room (the figure asserted is the stop, not the start).
describe('serve with the Discord gateway unreachable stops within seconds (a real child process)', { timeout: 60_000 }, () => {
  let fake: FakeDiscord;
  let served: Served | undefined;
  afterEach(async () => {
    served?.child.kill('SIGKILL');
    await fake.close();
  });

  it('GIVEN the gateway refuses connections from the start THEN SIGTERM during the start ends serve within 5 s', async () => {
    fake = await FakeDiscord.start({ gatewayUrl: `ws://127.0.0.1:${await closedPort()}` });
    served = serve(fake);
    // discord.js retries every half second; two tries show the loop is running.
    await served.seen('discord gateway reconnecting', 2);
    const stopped = await stopTimed(served);
    expect(stopped.ms).toBeLessThan(STOP_WITHIN_MS);
    expect(stopped.code).toBe(0);
    expect(served.output()).toContain('discord bot start cancelled');
  });

  it('GIVEN a gateway that takes the connection and never answers THEN SIGTERM during the start ends serve within 5 s', async () => {
    fake = await FakeDiscord.start();
    fake.gateway.stopAnswering('gateway');
    const held = once(fake.gateway, 'held');
    served = serve(fake);
    await held;
    const stopped = await stopTimed(served);
    expect(stopped.ms).toBeLessThan(STOP_WITHIN_MS);
    expect(stopped.code).toBe(0);
  });

  it('GIVEN the gateway went away after the bot was ready THEN SIGTERM while it reconnects ends serve within 5 s, with no reconnect after the stop', async () => {
    fake = await FakeDiscord.start();
    served = serve(fake);
    await served.seen('lmsys-papers is running');
    await fake.gateway.close();
    await served.seen('discord gateway reconnecting', 2);
    const stopped = await stopTimed(served);
    expect(stopped.ms).toBeLessThan(STOP_WITHIN_MS);
    expect(stopped.code).toBe(0);
    const afterStop = served.output().slice(served.output().indexOf('discord bot stopped'));
    expect(afterStop).not.toContain('discord gateway reconnecting');
  });

  it('GIVEN the session is resuming at a resume URL that never answers THEN SIGTERM ends serve within 5 s', async () => {
    fake = await FakeDiscord.start();
    served = serve(fake);
    await served.seen('lmsys-papers is running');
    fake.gateway.stopAnswering('resume');
    const held = once(fake.gateway, 'held');
    fake.gateway.disconnect(4000);
    await held;
    const stopped = await stopTimed(served);
    expect(stopped.ms).toBeLessThan(STOP_WITHIN_MS);
    expect(stopped.code).toBe(0);
  });
});
