/**
 * A tiny baseline JPEG encoder for camera snapshots, without native dependencies: grayscale,
 * every 8×8 block flat (DC only, all AC coefficients zero). Enough for a real, decodable JPEG
 * (SOI … EOI, JFIF, DQT, SOF0, DHT, SOS) whose picture changes with the camera and the time.
 */

const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// One AC symbol only: EOB (0x00), one code of length 1.
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALS = [0];
const Q = 8;

/** Canonical Huffman codes (JPEG Annex C) for a BITS/HUFFVAL pair: symbol → [code, length]. */
function huffCodes(bits: number[], vals: number[]): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]!; i++) out.set(vals[k++]!, [code++, len]);
    code <<= 1;
  }
  return out;
}

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  end(): number[] {
    while (this.n !== 0) this.write(1, 1); // pad with ones
    return this.bytes;
  }
}

function segment(marker: number, body: number[]): number[] {
  const len = body.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...body];
}

/**
 * Encodes a grayscale picture given as block means (0–255), `bw` × `bh` blocks of 8×8 pixels.
 * `comment` goes into a COM segment (camera id and time, handy when debugging snapshots).
 */
export function encodeBlockJpeg(blocks: number[], bw: number, bh: number, comment = ''): Buffer {
  const w = bw * 8;
  const h = bh * 8;
  const dc = huffCodes(DC_BITS, DC_VALS);
  const ac = huffCodes(AC_BITS, AC_VALS);
  const bits = new BitWriter();
  let prev = 0;
  for (let i = 0; i < bw * bh; i++) {
    const mean = Math.max(0, Math.min(255, blocks[i] ?? 128));
    // DC coefficient of a flat block = 8 × (mean − 128), quantised by Q.
    const q = Math.round((8 * (mean - 128)) / Q);
    const diff = q - prev;
    prev = q;
    const mag = Math.abs(diff);
    const size = mag === 0 ? 0 : Math.floor(Math.log2(mag)) + 1;
    const [code, len] = dc.get(size)!;
    bits.write(code, len);
    if (size > 0) bits.write(diff > 0 ? diff : diff + (1 << size) - 1, size);
    const [eob, eobLen] = ac.get(0)!;
    bits.write(eob, eobLen);
  }
  const com = Buffer.from(comment, 'latin1');
  const out = [
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...(com.length > 0 ? segment(0xfe, [...com.subarray(0, 60000)]) : []),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(Q)]),
    ...segment(0xc0, [8, h >> 8, h & 0xff, w >> 8, w & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALS]),
    ...segment(0xc4, [0x10, ...AC_BITS, ...AC_VALS]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...bits.end(),
    0xff,
    0xd9,
  ];
  return Buffer.from(out);
}

/** A 64×48 snapshot: a diagonal gradient whose phase moves with the time and the camera. */
export function snapshotJpeg(seed: number, nowMs: number, label: string): Buffer {
  const bw = 8;
  const bh = 6;
  const phase = (seed + Math.floor(nowMs / 1000)) % 64;
  const blocks: number[] = [];
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) blocks.push(40 + (((x + y) * 16 + phase * 3) % 180));
  return encodeBlockJpeg(blocks, bw, bh, `${label} ${new Date(nowMs).toISOString()}`);
}

/** Structural check used by tests: SOI, segment chain up to SOS, EOI at the end. */
export function looksLikeJpeg(buf: Buffer): boolean {
  if (
    buf.length < 4 ||
    buf[0] !== 0xff ||
    buf[1] !== 0xd8 ||
    buf[buf.length - 2] !== 0xff ||
    buf[buf.length - 1] !== 0xd9
  )
    return false;
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) return false;
    const marker = buf[i + 1]!;
    const len = buf.readUInt16BE(i + 2);
    if (marker === 0xda) return true;
    i += 2 + len;
  }
  return false;
}
