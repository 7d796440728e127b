import L from 'leaflet';

/**
 * A Leaflet canvas renderer that has Chromium rasterise each redraw at once. Chromium keeps what a
 * 2D canvas draws as a recording until something reads the pixels; with software drawing (a wall PC
 * without GPU, the benchmark's headless Chromium) the recording of 10,000 uplink segments was
 * re-examined on every later frame of the page: 1.5–2 s per frame at 10,000 devices (measured,
 * docs/performance.md). Reading back one pixel turns the recording into a bitmap once per redraw.
 */
export function flushedCanvas(options?: L.RendererOptions): L.Canvas {
  const r = L.canvas(options) as L.Canvas & { _redraw(): void; _ctx?: CanvasRenderingContext2D };
  const redraw = r._redraw;
  r._redraw = function (this: typeof r) {
    redraw.call(this);
    this._ctx?.getImageData(0, 0, 1, 1);
  };
  return r;
}
