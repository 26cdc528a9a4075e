import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../log.ts';

/**
 * Bolt and the Slack SDK log through this, so their lines are JSON on stdout like ours. Their
 * messages are free text, so it goes into `detail` under a constant message.
 */
export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ module: 'slack-sdk' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const error = parts.find((part): part is Error => part instanceof Error);
      const detail = parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
      child[level]({ detail, ...(error ? { err: error } : {}) }, 'slack sdk');
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel() {
      // The level is LOG_LEVEL's, for our lines and the SDK's alike.
    },
    getLevel() {
      if (child.isLevelEnabled('debug')) return LogLevel.DEBUG;
      if (child.isLevelEnabled('info')) return LogLevel.INFO;
      if (child.isLevelEnabled('warn')) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName(name) {
      child = log.child({ module: 'slack-sdk', component: name });
    },
  };
}
