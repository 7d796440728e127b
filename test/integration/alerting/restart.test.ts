import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Alert } from '../../../core/types.js';
import { startHttpCapture, type HttpCapture } from '../../helpers/http-capture.js';
import { tempTree } from '../../helpers/tmp.js';

const CHILD = fileURLToPath(new URL('./fixtures/child.ts', import.meta.url));

interface Snapshot {
  ok: boolean;
  error?: string;
  now: number;
  alerts: Alert[];
  outbox: Record<string, number>;
  states: Record<string, string>;
}

class Child {
  private waiting: ((s: Snapshot) => void)[] = [];
  readonly proc: ChildProcess;
  readonly ready: Promise<Snapshot>;
  constructor(db: string, telegramUrl: string, start: number) {
    this.proc = fork(CHILD, [db, telegramUrl, String(start)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.proc.once('exit', (code, signal) => reject(new Error(`child exited early (${code ?? signal})`)));
    });
    this.proc.on('message', (m) => {
      this.waiting.shift()?.(m as Snapshot);
    });
  }
  async send(cmd: unknown): Promise<Snapshot> {
    const reply = new Promise<Snapshot>((resolve) => this.waiting.push(resolve));
    this.proc.send(cmd as object);
    const s = await reply;
    if (!s.ok) throw new Error(s.error);
    return s;
  }
  kill9(): Promise<void> {
    return new Promise((resolve) => {
      this.proc.removeAllListeners('exit');
      this.proc.once('exit', () => resolve());
      this.proc.kill('SIGKILL');
    });
  }
}

const texts = (t: HttpCapture) => t.accepted().map((r) => JSON.parse(r.body) as { chat_id: string; text: string });

describe('alerting: kill -9 with open alerts, then restart', function () {
  this.timeout(180_000);
  let telegram: HttpCapture;
  let tmp: ReturnType<typeof tempTree>;
  const children: Child[] = [];

  before(async () => {
    telegram = await startHttpCapture();
    tmp = tempTree({});
  });
  after(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) await c.kill9();
    await telegram?.close();
    tmp?.cleanup();
  });

  it('resumes with the same alerts and acknowledgements and sends nothing twice', async () => {
    const db = join(tmp.dir, 'pantau.db');
    const a = new Child(db, telegram.url, Date.UTC(2026, 10, 28, 1, 0, 0));
    children.push(a);
    await a.ready;
    await a.send({ op: 'run', ms: 30_000 });
    let s = await a.send({ op: 'run', ms: 60_000, cut: ['fo-pengandonan', 'cctv-01'] });
    expect(s.alerts.map((x) => x.key).sort()).to.deep.equal(['device_down:cctv-01', 'device_down:fo-pengandonan']);
    const down = s.alerts.find((x) => x.key === 'device_down:fo-pengandonan')!;
    await a.send({ op: 'ack', id: down.id, by: 'siti', comment: 'tim fiber berangkat' });
    const sentBefore = texts(telegram).length;
    expect(sentBefore).to.be.greaterThan(0);

    // A third alert while Telegram is failing: its messages sit in the outbox when we kill.
    telegram.respondWith(500);
    s = await a.send({ op: 'run', ms: 40_000, cut: ['wifi-01'] });
    expect(s.outbox['pending']).to.be.greaterThan(0);
    const before = s.alerts;
    const nowAtKill = s.now;
    await a.kill9();

    telegram.respondWith(200);
    const b = new Child(db, telegram.url, nowAtKill);
    children.push(b);
    const r = await b.ready;
    // Same alerts, same ids, same acknowledgement.
    expect(r.alerts).to.deep.equal(before);
    const acked = r.alerts.find((x) => x.id === down.id)!;
    expect(acked).to.include({ status: 'acknowledged', acknowledgedBy: 'siti', ackComment: 'tim fiber berangkat' });
    expect(r.states['fo-pengandonan']).to.equal('DOWN');
    expect(r.states['fo-pengandonan-01']).to.equal('UNREACHABLE');

    // The pending message arrives once; still-failing probes raise nothing new.
    // The network is still broken: the new process's probes keep failing (the lab state is not the process's).
    s = await b.send({ op: 'run', ms: 60_000, cut: ['fo-pengandonan', 'cctv-01', 'wifi-01'] });
    expect(s.alerts.map((x) => x.id)).to.deep.equal(before.map((x) => x.id));
    const afterRestart = texts(telegram);
    expect(afterRestart.length).to.equal(sentBefore + 1);
    expect(afterRestart.at(-1)!.text).to.include('Wi-Fi Publik Alun-alun Baturaja DOWN');
    expect(new Set(afterRestart.map((m) => `${m.chat_id}|${m.text}`)).size).to.equal(afterRestart.length);

    // Repairs resolve all three, one recovery per routed chat, and nothing is repeated.
    s = await b.send({ op: 'run', ms: 2 * 60_000, repair: ['fo-pengandonan', 'cctv-01', 'wifi-01'] });
    expect(s.alerts.every((x) => x.status === 'resolved')).to.equal(true);
    expect(s.alerts).to.have.length(3);
    const all = texts(telegram);
    // fo-pengandonan → technicians + NOC, cctv-01 and wifi-01 → NOC only (possibly batched, so count messages naming each).
    const named = (needle: string) => all.filter((m) => m.text.includes(needle) && m.text.includes('✅')).length;
    expect(named('Node Distribusi Pengandonan')).to.equal(2);
    expect(named('CCTV Simpang Tugu Ogan')).to.equal(1);
    expect(named('Wi-Fi Publik Alun-alun Baturaja')).to.equal(1);
    expect(new Set(all.map((m) => `${m.chat_id}|${m.text}`)).size).to.equal(all.length);
    expect(s.outbox).to.deep.equal({ sent: Object.values(s.outbox).reduce((x, y) => x + y, 0) });
    await b.kill9();
  });
});
