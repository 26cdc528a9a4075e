import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured logs. `destination` is stdout for the long-running server and stderr for one-shot CLI
 * commands, whose stdout is their output (a README export, JSON search results).
 */
export function createLogger(level: string, destination: DestinationStream | NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { app: 'lmsys-papers' },
      // Belt and braces: secrets are never logged on purpose, and these paths are censored if they are.
      redact: { paths: ['token', 'apiKey', 'authorization', '*.token', '*.apiKey', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    destination as DestinationStream,
  );
}
