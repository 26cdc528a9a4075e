import { describe, expect, it } from 'vitest';
import { chromiumStep } from '../../scripts/check-machine.js';

describe('scripts/check-machine.js, the first step of npm run check', () => {
  it('GIVEN chromium is installed THEN there is nothing to do', () => {
    expect(chromiumStep({ installed: true, root: false, aptGet: true })).toEqual({ action: 'ok' });
  });

  it('GIVEN no chromium, root and apt-get THEN it installs Debian’s package', () => {
    expect(chromiumStep({ installed: false, root: true, aptGet: true })).toEqual({ action: 'install' });
  });

  it('GIVEN no chromium and not root THEN it stops with the one command to run', () => {
    const step = chromiumStep({ installed: false, root: false, aptGet: true });
    expect(step).toEqual({
      action: 'stop',
      message: expect.stringMatching(/chromium at \/usr\/bin\/chromium, which is missing\. Run: sudo apt-get install chromium$/),
    });
  });

  it('GIVEN no chromium and no apt-get THEN it says what must exist', () => {
    expect(chromiumStep({ installed: false, root: true, aptGet: false })).toMatchObject({
      action: 'stop',
      message: expect.stringContaining('so that /usr/bin/chromium exists'),
    });
  });
});
