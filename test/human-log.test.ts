import { describe, expect, it } from 'vitest';
import { formatRecord, humanLogStream } from '../src/human-log.ts';
import { createLogger } from '../src/log.ts';
import { captureStream } from './helpers/test-app.ts';

describe('log lines for a person at a terminal', () => {
  it('GIVEN an error with a stack THEN one short line shows the time, level, module, message, fields and the error message', () => {
    const output = captureStream();
    const log = createLogger('info', humanLogStream(output.stream, { stacks: false, hint: 'details in data/lmsys-papers.log' }));
    const error = new Error('getaddrinfo ENOTFOUND export.arxiv.org');
    log.child({ module: 'ingest' }).error({ day: '2025-12-18', err: error }, 'ingest failed');
    expect(output.text()).toMatch(
      /^\d\d:\d\d:\d\d ERROR ingest: ingest failed — day=2025-12-18: getaddrinfo ENOTFOUND export\.arxiv\.org \(details in data\/lmsys-papers\.log\)\n$/,
    );
  });

  it('GIVEN debug level THEN the stack trace is shown', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'daily run failed', err: { message: 'boom', stack: 'Error: boom\n    at run (run-day.ts:1:1)' } });
    expect(formatRecord(line, { stacks: true })).toMatch(/ERROR daily run failed\nError: boom\n {4}at run \(run-day\.ts:1:1\)$/);
    expect(formatRecord(line, { stacks: false })).toMatch(/ERROR daily run failed: boom$/);
  });

  it('GIVEN long or spaced values THEN they are quoted and cut', () => {
    const line = JSON.stringify({ level: 30, time: 0, msg: 'x', note: 'two words', long: 'y'.repeat(300), count: 3, phases: { ingestMs: 1 } });
    const text = formatRecord(line, { stacks: false });
    expect(text).toContain('note="two words"');
    expect(text).toContain('count=3 phases={"ingestMs":1}');
    expect(text).toMatch(/long=y{159}… /);
    expect(text).not.toContain('\n');
  });

  it('GIVEN an info line with a hint THEN the hint is only added to warnings and errors', () => {
    const line = JSON.stringify({ level: 30, time: 0, msg: 'lmsys-papers serving' });
    expect(formatRecord(line, { stacks: false, hint: 'details in x.log' })).not.toContain('details');
  });
});
