import { svg } from './dom.js';

/** An inline SVG sparkline (no chart library: small, CSP-clean, fast). Null values break the line. */
export function sparkline(
  values: readonly (number | null)[],
  opts: { width?: number; height?: number; color?: string; fill?: boolean } = {},
): SVGElement {
  const w = opts.width ?? 240;
  const hgt = opts.height ?? 44;
  const root = svg('svg', {
    viewBox: `0 0 ${w} ${hgt}`,
    width: w,
    height: hgt,
    class: 'spark',
    preserveAspectRatio: 'none',
    role: 'img',
  });
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (nums.length === 0) return root;
  let min = Math.min(...nums);
  let max = Math.max(...nums);
  if (max === min) {
    max += 1;
    min -= 1;
  }
  const x = (i: number) => (values.length <= 1 ? w : (i / (values.length - 1)) * w);
  const y = (v: number) => hgt - 3 - ((v - min) / (max - min)) * (hgt - 6);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const color = opts.color ?? '#38bdf8';
  if (opts.fill !== false) {
    const firstI = values.findIndex((v) => v !== null);
    let lastI = values.length - 1;
    while (lastI > 0 && values[lastI] === null) lastI--;
    root.appendChild(
      svg('path', {
        d: `${d}L${x(lastI).toFixed(1)},${hgt}L${x(firstI).toFixed(1)},${hgt}Z`,
        fill: color,
        'fill-opacity': 0.12,
        stroke: 'none',
      }),
    );
  }
  root.appendChild(
    svg('path', {
      d,
      fill: 'none',
      stroke: color,
      'stroke-width': 1.6,
      'stroke-linejoin': 'round',
      'vector-effect': 'non-scaling-stroke',
    }),
  );
  return root;
}
