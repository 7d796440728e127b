/**
 * Imported before Leaflet. Positions markers with left/top instead of translate3d: every 3D-translated
 * cluster bubble would become its own compositor layer, and with a few hundred bubbles (10,000 devices)
 * the per-frame layer commit took seconds in software rendering (wall PCs without a GPU; measured in
 * bench/noc-page.ts). The price is no animated zoom, which a wall screen does not need.
 */
(window as unknown as { L_DISABLE_3D: boolean }).L_DISABLE_3D = true;
export {};
