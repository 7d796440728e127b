/**
 * The lab's DNS server: authoritative for the service names of the inventory (their http URLs' hosts),
 * over UDP with dns-packet. A name whose service has the `dns-nxdomain` fault, and every unknown name,
 * is NXDOMAIN; AAAA for a known name is an empty NOERROR answer.
 */
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

const AUTHORITATIVE = 1 << 10;
const RECURSION_DESIRED = 1 << 8;
const NXDOMAIN = 3;

/** What the server answers for a name now: an address, or null (NXDOMAIN). */
export type NameLookup = (name: string) => string | null | undefined;

/** Pure: the response bytes for a query, or null for something that is not a query. */
export function answerQuery(query: Buffer, lookup: NameLookup): Buffer | null {
  let q: ReturnType<typeof dnsPacket.decode>;
  try {
    q = dnsPacket.decode(query);
  } catch {
    return null;
  }
  if (q.type !== 'query' || !q.questions?.length) return null;
  const question = q.questions[0]!;
  const addr = lookup(question.name.toLowerCase().replace(/\.$/, ''));
  const rd = (q.flags ?? 0) & RECURSION_DESIRED;
  if (!addr) {
    return dnsPacket.encode({
      id: q.id ?? 0,
      type: 'response',
      flags: AUTHORITATIVE | rd | NXDOMAIN,
      questions: q.questions,
      answers: [],
    });
  }
  const answers =
    question.type === 'A' || (question.type as string) === 'ANY'
      ? [{ type: 'A' as const, class: 'IN' as const, name: question.name, ttl: 30, data: addr }]
      : [];
  return dnsPacket.encode({
    id: q.id ?? 0,
    type: 'response',
    flags: AUTHORITATIVE | rd,
    questions: q.questions,
    answers,
  });
}

export async function startLabDns(
  address: string,
  port: number,
  lookup: NameLookup,
): Promise<{ close(): Promise<void> }> {
  const sock: Socket = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const out = answerQuery(msg, lookup);
    if (out) sock.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, address, () => {
      sock.off('error', reject);
      resolve();
    });
  });
  sock.on('error', () => {});
  return { close: () => new Promise<void>((r) => sock.close(() => r())) };
}
