import type { Interface } from 'node:readline';

/** What a log line or a printed digest is written to: a stream, or a guard in front of one. */
export type TextSink = { write(text: string): unknown };

/**
 * In `serve` with the console, the daily run's error lines and console digests arrive while the
 * person sits at `papers> `, perhaps half-way through typing. Written straight to the terminal they
 * would land after the prompt and leave no prompt behind. Through the guard, such text erases the
 * prompt line, is printed, and the prompt is drawn again with what was typed so far.
 */
export type PromptGuard = {
  /** A sink that prints to `target` above the prompt when the prompt is showing, else as it is. */
  above(target: TextSink): TextSink;
  /** The console says when its prompt is showing (its readline) and when not (null: a command runs). */
  showing(lines: Interface | null): void;
};

const ERASE_LINE = '\r\u001b[K';

/** `terminal` is the stream the prompt is on. */
export function createPromptGuard(terminal: TextSink): PromptGuard {
  let prompt: Interface | null = null;
  return {
    above(target) {
      return {
        write(text: string) {
          if (!prompt) return target.write(text);
          terminal.write(ERASE_LINE);
          const written = target.write(text);
          prompt.prompt(true);
          return written;
        },
      };
    },
    showing(lines) {
      prompt = lines;
    },
  };
}
