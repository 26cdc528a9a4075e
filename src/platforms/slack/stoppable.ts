/**
 * How the Slack part takes the stop signal. Waits (backoff, Retry-After) end at once; requests
 * already on the wire get `graceMs` to finish, so a send under way is completed and recorded, and
 * a Slack that does not answer cannot hold the process (a stop must end `serve` within 5 s).
 */

/** Sleeps `ms`, or less when the signal aborts first. */
export function sleepUnlessStopped(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A fetch for the Slack SDK (`clientOptions.fetch`) whose requests are abandoned `graceMs` after the stop signal. */
export function stoppableFetch<Init extends { signal?: AbortSignal | null }, Answer>(
  signal: AbortSignal,
  graceMs: number,
  base: (url: string | URL, init?: Init) => Promise<Answer>,
): (url: string | URL, init?: Init) => Promise<Answer> {
  const late = new AbortController();
  const abandon = () => {
    const timer = setTimeout(() => late.abort(new Error('the bot is stopping')), graceMs);
    timer.unref();
  };
  if (signal.aborted) abandon();
  else signal.addEventListener('abort', abandon, { once: true });
  return (url, init) => base(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, late.signal]) : late.signal } as Init);
}
