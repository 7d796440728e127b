import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';

export interface SnmpdHandle {
  address: string;
  port: number;
  community: string;
  /** v3 user with SHA auth + AES priv. */
  v3: { user: string; authKey: string; privKey: string };
  stop(): Promise<void>;
}

function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 40000);
}

/** Finds snmpd where Debian puts it; a missing binary fails the test (never a skip). */
function snmpdBinary(): string {
  return process.env['SNMPD_BIN'] ?? '/usr/sbin/snmpd';
}

async function waitReady(address: string, port: number, community: string, deadlineMs: number): Promise<void> {
  // A hand-built v2c GET of sysUpTime.0; any response datagram means snmpd is serving.
  const oid = Buffer.from([0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00]);
  const vb = Buffer.concat([Buffer.from([0x30, oid.length + 2]), oid, Buffer.from([0x05, 0x00])]);
  const vbl = Buffer.concat([Buffer.from([0x30, vb.length]), vb]);
  const pduBody = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]), vbl]);
  const pdu = Buffer.concat([Buffer.from([0xa0, pduBody.length]), pduBody]);
  const comm = Buffer.from(community);
  const msgBody = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x04, comm.length]), comm, pdu]);
  const msg = Buffer.concat([Buffer.from([0x30, msgBody.length]), msgBody]);
  const end = Date.now() + deadlineMs;
  const sock = createSocket('udp4');
  try {
    while (Date.now() < end) {
      const got = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          sock.off('message', on);
          resolve(false);
        }, 200);
        const on = () => {
          clearTimeout(t);
          resolve(true);
        };
        sock.once('message', on);
        sock.send(msg, port, address);
      });
      if (got) return;
    }
    throw new Error(`snmpd on ${address}:${port} not ready within ${deadlineMs} ms`);
  } finally {
    sock.close();
  }
}

/**
 * Starts Debian's snmpd by hand on a random 127.x address/port with a temporary config
 * (environment.md): v2c community and a v3 authPriv user (SHA/AES).
 */
export async function startSnmpd(opts: { address?: string; community?: string } = {}): Promise<SnmpdHandle> {
  const address =
    opts.address ?? `127.0.${Math.floor(Math.random() * 200) + 20}.${Math.floor(Math.random() * 200) + 20}`;
  const community = opts.community ?? 'public';
  const v3 = { user: 'pantau', authKey: 'pantau-lab-auth', privKey: 'pantau-lab-priv' };
  const dir = mkdtempSync(join(tmpdir(), 'pantau-snmpd-'));
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = randomPort();
    const conf = join(dir, 'snmpd.conf');
    writeFileSync(
      conf,
      [
        `agentAddress udp:${address}:${port}`,
        `rocommunity ${community} 127.0.0.0/8`,
        `createUser ${v3.user} SHA "${v3.authKey}" AES "${v3.privKey}"`,
        `rouser ${v3.user} auth`,
        'sysName pantau-test-snmpd',
        'sysLocation lab',
        '',
      ].join('\n'),
    );
    const child: ChildProcess = spawn(snmpdBinary(), ['-f', '-Lo', '-C', '-c', conf, '-p', join(dir, 'snmpd.pid')], {
      env: { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const spawnErr = new Promise<never>((_, reject) => child.once('error', reject));
    try {
      await Promise.race([waitReady(address, port, community, 8000), spawnErr]);
      return {
        address,
        port,
        community,
        v3,
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastErr = new Error(`snmpd failed: ${(err as Error).message}\n${output}`);
      child.kill('SIGKILL');
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastErr;
}
