import type { Device, OnvifResult, ProbeErrorCode } from '../../../core/types.js';
import type { OnvifCredential } from '../../../core/config/sections/credentials.js';
import { ProbeFailure, toProbeError, withSignal } from '../../probe-error.js';
import { fetchSnapshot } from './snapshot.js';
import { checkRtsp } from './rtsp.js';

export interface OnvifProberDeps {
  credentials: Readonly<Record<string, OnvifCredential>>;
  now: () => number;
  /** Drift above this (seconds) makes the check fail with PANTAU_PROBE_CLOCK_DRIFT. */
  maxClockDriftS: number;
  /** Timeout of one SOAP/HTTP/RTSP call; the whole probe is bounded by the caller's signal. */
  callTimeoutMs: number;
}

/** Maps an error from the onvif library (SOAP over HTTP) to a stable code. */
export function onvifFailure(err: unknown, during: 'reach' | 'auth' | 'media'): ProbeFailure {
  if (err instanceof ProbeFailure) return err;
  const e = err as { name?: string; code?: string; message?: string };
  const msg = String(e?.message ?? err).slice(0, 200);
  const mapped = toProbeError(err, 'PANTAU_PROBE_BAD_RESPONSE');
  if (mapped.code !== 'PANTAU_PROBE_BAD_RESPONSE') return new ProbeFailure(mapped.code, msg, { cause: err });
  if (/network timeout|timed? ?out/i.test(msg)) return new ProbeFailure('PANTAU_PROBE_TIMEOUT', msg, { cause: err });
  if (during !== 'reach' && /NotAuthorized|not authori[sz]ed|Unauthorized|\b401\b|authenticat/i.test(msg)) {
    return new ProbeFailure('PANTAU_PROBE_AUTH', `ONVIF authentication failed: ${msg}`, { cause: err });
  }
  return new ProbeFailure('PANTAU_PROBE_BAD_RESPONSE', `ONVIF: ${msg}`, { cause: err });
}

type PromiseCam = {
  getSystemDateAndTime(): Promise<Date>;
  getDeviceInformation(): Promise<{
    manufacturer?: string;
    model?: string;
    firmwareVersion?: string;
    serialNumber?: string;
  }>;
  getCapabilities(): Promise<unknown>;
  getProfiles(): Promise<Array<{ $?: { token?: string }; token?: string }>>;
  getSnapshotUri(o: { profileToken?: string }): Promise<{ uri?: string }>;
  getStreamUri(o: { protocol: string; profileToken?: string }): Promise<{ uri?: string; mediaUri?: { uri?: string } }>;
};

/** Pure: identity differences between the camera and the inventory (only fields the inventory has). */
export function identityMismatches(
  device: Pick<Device, 'model' | 'firmware' | 'serial'>,
  info: { model?: string; firmware?: string; serial?: string },
): string[] {
  const out: string[] = [];
  for (const k of ['model', 'firmware', 'serial'] as const) {
    const want = device[k];
    if (want !== undefined && want !== (info[k] ?? ''))
      out.push(`${k}: inventaris "${want}", kamera "${info[k] ?? ''}"`);
  }
  return out;
}

export function createOnvifProber(deps: OnvifProberDeps) {
  async function run(device: Device, opts: { signal: AbortSignal }): Promise<OnvifResult> {
    const ts = deps.now();
    const started = performance.now();
    const result: OnvifResult = {
      kind: 'onvif',
      deviceId: device.id,
      ts,
      durationMs: 0,
      ok: false,
      reachable: false,
      authenticated: false,
      clockDriftS: null,
      info: null,
      mismatches: [],
      snapshot: null,
      rtsp: null,
    };
    const done = (error?: { code: ProbeErrorCode; message: string }): OnvifResult => {
      result.durationMs = Math.round(performance.now() - started);
      if (error) {
        result.ok = false;
        result.error = error;
      } else result.ok = true;
      return result;
    };
    const probe = device.probes.onvif;
    const cred = probe ? deps.credentials[probe.credentials] : undefined;
    if (!probe || !cred)
      return done({ code: 'PANTAU_PROBE_INTERNAL', message: 'no ONVIF credentials for this device' });
    const password = cred.password.reveal();
    // Every call gets its own timeout as well as the probe's signal: the library can hang forever.
    const callSignal = () => AbortSignal.any([opts.signal, AbortSignal.timeout(deps.callTimeoutMs)]);
    const call = <T>(p: Promise<T>, signal = callSignal()) => withSignal(p, signal);

    const { default: onvif } = await import('onvif/promises/index.js');
    const cam = new onvif.Cam({
      hostname: device.address,
      port: probe.port,
      username: cred.username,
      password,
      timeout: deps.callTimeoutMs,
      preserveAddress: true,
      autoconnect: false,
    }) as unknown as PromiseCam;

    try {
      const camTime = await call(cam.getSystemDateAndTime()).catch((e: unknown) => {
        throw onvifFailure(e, 'reach');
      });
      result.reachable = true;
      if (camTime instanceof Date && !Number.isNaN(camTime.getTime())) {
        result.clockDriftS = Math.round((camTime.getTime() - deps.now()) / 100) / 10;
      }
      const info = await call(cam.getDeviceInformation()).catch((e: unknown) => {
        throw onvifFailure(e, 'auth');
      });
      result.authenticated = true;
      result.info = {
        ...(info?.manufacturer ? { manufacturer: String(info.manufacturer) } : {}),
        ...(info?.model ? { model: String(info.model) } : {}),
        ...(info?.firmwareVersion ? { firmware: String(info.firmwareVersion) } : {}),
        ...(info?.serialNumber ? { serial: String(info.serialNumber) } : {}),
      };
      result.mismatches = identityMismatches(device, result.info);

      let snapshotUri: string | undefined;
      let streamUri: string | undefined;
      try {
        await call(cam.getCapabilities());
        const profiles = await call(cam.getProfiles());
        const token = profiles?.[0]?.$?.token ?? profiles?.[0]?.token;
        if (!token) throw new ProbeFailure('PANTAU_PROBE_BAD_RESPONSE', 'camera has no media profile');
        snapshotUri = (await call(cam.getSnapshotUri({ profileToken: token })))?.uri;
        const s = await call(cam.getStreamUri({ protocol: 'RTSP', profileToken: token }));
        streamUri = s?.uri ?? s?.mediaUri?.uri;
      } catch (e) {
        throw onvifFailure(e, 'media');
      }

      const http = { username: cred.username, password };
      if (snapshotUri) {
        try {
          // Our own clients get the per-call signal too, so a timed-out fetch closes its socket now.
          const signal = callSignal();
          result.snapshot = await call(fetchSnapshot(snapshotUri, http, { signal }), signal);
        } catch (e) {
          const pe = toProbeError(e, 'PANTAU_PROBE_SNAPSHOT');
          result.snapshot = { ok: false, status: null, bytes: 0, latencyMs: null, error: `${pe.code}: ${pe.message}` };
        }
      } else result.snapshot = { ok: false, status: null, bytes: 0, latencyMs: null, error: 'no snapshot URI' };
      if (streamUri) {
        try {
          const signal = callSignal();
          result.rtsp = await call(checkRtsp(streamUri, http, { signal }), signal);
        } catch (e) {
          const pe = toProbeError(e, 'PANTAU_PROBE_RTSP');
          result.rtsp = { ok: false, status: null, sdp: false, latencyMs: null, error: `${pe.code}: ${pe.message}` };
        }
      } else result.rtsp = { ok: false, status: null, sdp: false, latencyMs: null, error: 'no stream URI' };

      if (!result.snapshot.ok)
        return done({ code: 'PANTAU_PROBE_SNAPSHOT', message: result.snapshot.error ?? 'snapshot failed' });
      if (!result.rtsp.ok) return done({ code: 'PANTAU_PROBE_RTSP', message: result.rtsp.error ?? 'RTSP failed' });
      if (result.clockDriftS !== null && Math.abs(result.clockDriftS) > deps.maxClockDriftS) {
        return done({
          code: 'PANTAU_PROBE_CLOCK_DRIFT',
          message: `jam kamera selisih ${result.clockDriftS} s (clock drift)`,
        });
      }
      return done();
    } catch (e) {
      return done(toProbeError(e instanceof ProbeFailure ? e : onvifFailure(e, 'media')));
    }
  }
  return { run };
}

export type OnvifProber = ReturnType<typeof createOnvifProber>;
