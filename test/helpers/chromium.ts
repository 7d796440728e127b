/**
 * Debian's chromium driven by playwright-core (never `playwright install`). A missing binary
 * fails the test with the install hint: browser tests never skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env['PANTAU_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => !!p,
);

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--autoplay-policy=no-user-gesture-required',
];

export function chromiumPath(): string {
  const p = CANDIDATES.find((c) => existsSync(c));
  if (!p)
    throw new Error(
      'chromium not found: apt-get install -y chromium (scripts/install-system-deps.sh), or set PANTAU_CHROMIUM',
    );
  return p;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}
