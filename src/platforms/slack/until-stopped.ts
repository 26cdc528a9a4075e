/**
 * `work`'s outcome, or `stopped` as soon as the signal aborts. Unlike racing `whenStopped`, the
 * abort listener goes once `work` settles, so a loop that runs for months (a reconnection after
 * every recycle) does not pile listeners onto the stop signal.
 */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T | 'stopped'> {
  if (signal.aborted) return Promise.resolve('stopped');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('stopped');
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
