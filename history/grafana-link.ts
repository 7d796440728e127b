/** The Grafana "device detail" dashboard (dashboards/src, uid pantau-device) for a device and time range. */
export function grafanaDeviceUrl(base: string, device: { id: string; type: string }, from: number, to: number): string {
  const u = new URL(`${base.replace(/\/+$/, '')}/d/pantau-device/pantau-detail-perangkat`);
  u.searchParams.set('var-type', device.type);
  u.searchParams.set('var-device', device.id);
  u.searchParams.set('from', String(Math.floor(from)));
  u.searchParams.set('to', String(Math.ceil(to)));
  return u.toString();
}
