import type { DeviceModel } from './model/device.js';
import { cameraInfo, startCamera } from './onvif/camera.js';
import { startDiscovery } from './onvif/discovery.js';
import type { CameraInfo } from './onvif/soap.js';
import type { ShardPlugin } from './shard.js';
import { startServiceApp, type ServiceApp } from './services/app.js';
import { startLabDns } from './services/dns.js';

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
        onvifPort,
        rtspPort: init.rtspPort,
        user: init.creds.onvif.user,
        password: init.creds.onvif.password,
        now,
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

/**
 * Public applications (every `service` device with an http check) and the lab's DNS server, which the
 * shard owning the services runs (the lab puts every service in one shard so the server knows them all).
 */
export function servicesPlugin(): ShardPlugin {
  const apps = new Map<string, ServiceApp>();
  const names = new Map<string, DeviceModel>();
  let dns: { close(): Promise<void> } | null = null;
  let dnsTried: Promise<void> | null = null;
  return {
    async start(model, init, now) {
      const http = model.device.probes.http;
      const svc = init.services;
      if (model.device.type !== 'service' || !svc) return null;
      if (http) names.set(new URL(http.url).hostname.toLowerCase(), model);
      if (model.device.probes.dns?.name) names.set(model.device.probes.dns.name.toLowerCase(), model);
      dnsTried ??= startLabDns(svc.dns.address, svc.dns.port, (name) => {
        const m = names.get(name);
        return m && !m.find('dns-nxdomain') ? m.device.address : null;
      }).then((d) => {
        dns = d;
      });
      await dnsTried;
      if (!http) return null;
      const url = new URL(http.url);
      const https = url.protocol === 'https:';
      const own = Number(url.port || (https ? 443 : 80));
      const port = (https ? svc.httpsPort : svc.httpPort) ?? own;
      const app = await startServiceApp(model, { host: url.hostname, https, port, ca: svc.ca, now });
      apps.set(model.device.id, app);
      return {
        close: () => {
          apps.delete(model.device.id);
          return app.close();
        },
      };
    },
    changed(model) {
      apps.get(model.device.id)?.changed();
    },
    async stop() {
      await dns?.close();
      dns = null;
      dnsTried = null;
    },
  };
}

/** Services beside SNMP that each shard runs. */
export function createShardPlugins(): ShardPlugin[] {
  return [onvifPlugin(), servicesPlugin()];
}
