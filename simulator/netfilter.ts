import { spawn } from 'node:child_process';

export const LAB_CHAIN = 'PANTAU-LAB';

export interface Firewall {
  /** False when iptables is not usable (not root, no binary): faults then stay in the responders. */
  readonly available: boolean;
  /** Replaces the lab's rules: DROP for addresses that are down, statistic DROP for loss. */
  apply(rules: { down: readonly string[]; loss: ReadonlyMap<string, number> }): Promise<void>;
  /** Removes the chain and the jump from INPUT. */
  close(): Promise<void>;
}

function run(cmd: string[], input?: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd[0]!, cmd.slice(1), { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    p.on('error', (err) => resolve({ code: -1, stderr: err.message }));
    p.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    // A command that exits without reading stdin must not crash the lab with EPIPE.
    p.stdin.on('error', () => {});
    p.stdin.end(input ?? '');
  });
}

/** Renders the whole chain for iptables-restore --noflush (declaring the chain flushes it). */
export function renderRules(rules: { down: readonly string[]; loss: ReadonlyMap<string, number> }): string {
  const lines = ['*filter', `:${LAB_CHAIN} - [0:0]`];
  for (const a of rules.down) lines.push(`-A ${LAB_CHAIN} -d ${a}/32 -j DROP`);
  for (const [a, pct] of rules.loss) {
    if (pct <= 0 || rules.down.includes(a)) continue;
    lines.push(
      `-A ${LAB_CHAIN} -d ${a}/32 -m statistic --mode random --probability ${Math.min(1, pct / 100).toFixed(4)} -j DROP`,
    );
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/**
 * iptables in the lab's namespace: one chain jumped to from INPUT, rewritten atomically with
 * iptables-restore on every change, removed on close. `netns` null = the current namespace.
 */
export async function createFirewall(opts: {
  netns: string | null;
  onUnavailable?: (why: string) => void;
}): Promise<Firewall> {
  const prefix = opts.netns ? ['ip', 'netns', 'exec', opts.netns] : [];
  const ipt = (...args: string[]) => run([...prefix, 'iptables', '-w', ...args]);
  const unavailable = (why: string): Firewall => {
    opts.onUnavailable?.(why);
    return { available: false, apply: async () => {}, close: async () => {} };
  };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return unavailable('not root');
  const created = await ipt('-N', LAB_CHAIN);
  if (created.code !== 0 && !/exists/i.test(created.stderr))
    return unavailable(created.stderr.trim() || 'iptables failed');
  const has = await ipt('-C', 'INPUT', '-j', LAB_CHAIN);
  if (has.code !== 0) {
    const ins = await ipt('-I', 'INPUT', '1', '-j', LAB_CHAIN);
    if (ins.code !== 0) return unavailable(ins.stderr.trim());
  }
  let queue = Promise.resolve();
  return {
    available: true,
    apply(rules) {
      const text = renderRules(rules);
      queue = queue.then(async () => {
        const r = await run([...prefix, 'iptables-restore', '-w', '--noflush'], text);
        if (r.code !== 0) throw new Error(`iptables-restore: ${r.stderr.trim()}`);
      });
      return queue;
    },
    async close() {
      await queue.catch(() => {});
      await ipt('-D', 'INPUT', '-j', LAB_CHAIN);
      await ipt('-F', LAB_CHAIN);
      await ipt('-X', LAB_CHAIN);
    },
  };
}
