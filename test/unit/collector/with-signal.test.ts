import { expect } from 'chai';
import { withSignal } from '../../../collector/probe-error.js';

describe('collector/probe-error withSignal', () => {
  it('a signal aborted before the call leaves no unhandled rejection of the abandoned work', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (r: unknown) => {
      unhandled.push(r);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const ac = new AbortController();
      ac.abort(new DOMException('collector stopping', 'AbortError'));
      // The work started with the same signal and rejects with its reason a moment later (like checkRtsp).
      const work = new Promise<never>((_, reject) => setTimeout(() => reject(ac.signal.reason), 5));
      const err = await withSignal(work, ac.signal).catch((e: unknown) => e);
      expect((err as Error).message).to.equal('collector stopping');
      await new Promise((r) => setTimeout(r, 30));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it("passes the work's value through while the signal stays quiet", async () => {
    expect(await withSignal(Promise.resolve(7), new AbortController().signal)).to.equal(7);
  });
});
