/**
 * Polls `fn` until it returns something other than undefined/false, and returns that value;
 * throws `timeout waiting for <what>` after `ms`. Tests wait for outcomes this way, never by sleeping.
 */
export async function until<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000, what = 'condition', stepMs = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
