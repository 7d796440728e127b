import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PantauError } from '../core/errors.js';

const exec = promisify(execFile);

export interface Netns {
  readonly name: string;
  remove(): Promise<void>;
}

/**
 * Creates a named network namespace (`ip netns add`) with loopback up, so any tool can join it
 * with `ip netns exec <name> …`. A leftover namespace of the same name (a crashed lab) is reused.
 */
export async function createNetns(name: string): Promise<Netns> {
  try {
    const { stdout } = await exec('ip', ['netns', 'list']);
    const exists = stdout.split('\n').some((l) => l.split(' ')[0] === name);
    if (!exists) await exec('ip', ['netns', 'add', name]);
    await exec('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
    // Multicast on loopback, for WS-Discovery from tools joined to the namespace.
    await exec('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'multicast', 'on']).catch(() => {});
    // A namespace with only loopback has no route for 239.255.255.250: give multicast one.
    await exec('ip', ['netns', 'exec', name, 'ip', 'route', 'replace', '224.0.0.0/4', 'dev', 'lo']).catch(() => {});
  } catch (err) {
    throw new PantauError('PANTAU_LAB', `cannot create network namespace ${name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return {
    name,
    async remove() {
      await exec('ip', ['netns', 'del', name]).catch(() => {});
    },
  };
}
