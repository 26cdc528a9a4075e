/** Streams already watched, so a process running many commands (the tests) adds one listener each. */
const watched = new WeakSet<NodeJS.WritableStream>();

/**
 * `lmsys-papers status | head -1`: once the reader is gone, writes fail with EPIPE, which Node
 * reports as an unhandled 'error' event (a stack trace, exit 1). A closed stdout instead ends the
 * command quietly: `onClosed` asks it to stop, and later writes are dropped.
 */
export function quietOnClosedStdout(stdout: NodeJS.WritableStream, onClosed: () => void): void {
  if (watched.has(stdout)) return;
  watched.add(stdout);
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      onClosed();
      return;
    }
    throw error;
  });
}
