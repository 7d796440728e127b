import type { DeviceModel } from './model/device.js';
import { cameraInfo, startCamera } from './onvif/camera.js';
import { startDiscovery } from './onvif/discovery.js';
import type { CameraInfo } from './onvif/soap.js';
import type { ShardPlugin } from './shard.js';

/** ONVIF cameras (every `cctv` device) and one WS-Discovery responder per shard. */
export function onvifPlugin(): ShardPlugin {
  const cams: Array<{ model: DeviceModel; info: CameraInfo }> = [];
  let discovery: { close(): Promise<void> } | null = null;
  let discoveryTried = false;
  return {
    async start(model, init, now) {
      if (model.device.type !== 'cctv') return null;
      // On the standard port the inventory's own port wins (like SNMP), so any inventory works as is.
      const onvifPort = init.onvifPort === 80 ? (model.device.probes.onvif?.port ?? 80) : init.onvifPort;
      const cam = await startCamera(model, {
        onvifPort, rtspPort: init.rtspPort, user: init.creds.onvif.user, password: init.creds.onvif.password, now,
      });
      cams.push({ model, info: cameraInfo(model, onvifPort, init.rtspPort) });
      if (!discoveryTried) {
        discoveryTried = true;
        // Without multicast (or with 3702 taken by something else) cameras still work by address.
        discovery = await startDiscovery(() => cams, now).catch(() => null);
      }
      return cam;
    },
    async stop() {
      await discovery?.close();
      discovery = null;
    },
  };
}

/** Services beside SNMP that each shard runs. */
export function createShardPlugins(): ShardPlugin[] {
  return [onvifPlugin()];
}
