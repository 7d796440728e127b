/**
 * THE wait helper of the test suite (issue 17): polls `fn` until it returns something other than
 * undefined/false, and returns that value; throws `timeout waiting for <what>` (with `describe()`'s
 * state when given) after `ms`. Tests wait for outcomes this way, never by sleeping, and a wait can
 * never pass silently: there is no boolean to forget to check.
 */
export async function until<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 5000,
  what = 'condition',
  stepMs = 20,
  describe?: () => unknown,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end)
      throw new Error(`timeout waiting for ${what}${describe ? `: ${JSON.stringify(describe())}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
