/**
 * The demo's scenario: outages that happen and recover on a loop, so a new user watching the
 * page sees a fiber cut (root cause + a red branch), a dead camera, packet loss and fading optics.
 */
import { formatWib } from '../core/time.js';

export interface TourLab {
  fault(target: string, fault: { kind: string; [k: string]: unknown }, opts?: { subtree?: boolean }): Promise<string[]>;
  clear(target: string | 'all'): Promise<void>;
}

export interface TourStep {
  say: string;
  target: string;
  fault: { kind: string; [k: string]: unknown };
  subtree?: boolean;
  holdMs: number;
}

export const DEMO_TOUR: readonly TourStep[] = [
  {
    say: 'Putus fiber di Lengkiti: node distribusi dan semua di bawahnya / fiber cut at Lengkiti',
    target: 'fo-lengkiti',
    fault: { kind: 'down' },
    subtree: true,
    holdMs: 60_000,
  },
  { say: 'Kamera CCTV cctv-03 mati / camera cctv-03 down', target: 'cctv-03', fault: { kind: 'down' }, holdMs: 45_000 },
  {
    say: 'Paket hilang 40% di Wi-Fi publik wifi-05 / 40% packet loss at wifi-05',
    target: 'wifi-05',
    fault: { kind: 'loss', percent: 40 },
    holdMs: 60_000,
  },
  {
    say: 'Putus fiber di Baturaja Barat / fiber cut at Baturaja Barat',
    target: 'fo-baturaja-barat',
    fault: { kind: 'down' },
    subtree: true,
    holdMs: 50_000,
  },
  {
    say: 'Redaman naik di fo-lengkiti-01 / optical power falling at fo-lengkiti-01',
    target: 'fo-lengkiti-01',
    fault: { kind: 'optical', toDbm: -29, durationMs: 40_000 },
    holdMs: 60_000,
  },
];

/** Plays the tour until the signal aborts; resolves after clearing the lab. */
export async function playTour(
  lab: TourLab,
  opts: { signal: AbortSignal; out: (line: string) => void; gapMs?: number; steps?: readonly TourStep[] },
): Promise<void> {
  const steps = opts.steps ?? DEMO_TOUR;
  const gap = opts.gapMs ?? 25_000;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      opts.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  const now = () => formatWib(Date.now()).slice(11);
  await sleep(gap);
  for (let i = 0; !opts.signal.aborted; i = (i + 1) % steps.length) {
    const s = steps[i]!;
    try {
      await lab.fault(s.target, s.fault as never, s.subtree ? { subtree: true } : {});
      opts.out(`[${now()}] ▼ ${s.say}`);
      await sleep(s.holdMs);
      await lab.clear(s.target);
      opts.out(`[${now()}] ▲ pulih / recovered: ${s.target}`);
    } catch (err) {
      opts.out(`[${now()}] skenario: ${String(err)}`);
    }
    await sleep(gap);
  }
  await lab.clear('all').catch(() => undefined);
}
