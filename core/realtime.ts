/**
 * The socket.io protocol between the server and the NOC page, imported by both sides (web/ too),
 * so a renamed field breaks the build instead of the wall screen.
 *
 * Protocol (docs/adr/0501): on every (re)connect the server emits one `snapshot` carrying `seq`;
 * afterwards it emits `deltas` batches whose entries carry strictly increasing `seq`. A client
 * ignores entries with `seq <= snapshot.seq`, and asks for a fresh snapshot with `resync` when it
 * sees a gap. Alerts and statuses are keyed by id, so applying one twice is harmless.
 */
import type { Alert, DeviceStatus, DeviceType, Kecamatan, MetricSample } from './types.js';

/** What the page needs to draw a device; never credentials or probe settings. */
export interface DeviceView {
  id: string;
  name: string;
  type: DeviceType;
  role: string;
  kecamatan: Kecamatan;
  lat: number;
  lon: number;
  address: string;
  parent: string | null;
  vendor: string;
  model?: string;
}

export type Role = 'admin' | 'operator' | 'technician' | 'viewer';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  groups: string[];
  /**
   * A technician whose groups no alert route names: sees every alert (never a false all-clear),
   * and the page shows a banner saying so. Computed per request from the routing config.
   */
  allAlerts?: boolean;
}

/** The region as the page needs it: names, clock, map view, kecamatan (boundaries via GET /api/region). */
export interface RegionView {
  name: string;
  shortName: string;
  timeZone: 'WIB' | 'WITA' | 'WIT';
  bounds?: { minLat: number; maxLat: number; minLon: number; maxLon: number };
  home?: { lat: number; lon: number; zoom: number };
  kecamatan: { id: string; name: string; centroid?: { lat: number; lon: number } }[];
}

export interface UiConfig {
  tileUrl: string;
  language: 'id' | 'en';
  region: RegionView;
}

/**
 * The cluster's health as the NOC header shows it (a web server of a cluster, docs/scale.md):
 * collectors that were seen and are gone, zones no live collector serves, no core. Absent in the
 * single process.
 */
export interface ClusterView {
  missingCollectors: { name: string; lastSeen: number }[];
  zonesWithoutCollector: { zone: string; devices: number }[];
  core: boolean;
}

export interface Snapshot {
  seq: number;
  at: number;
  /** Bumps when the server process restarts, so a page can tell a restart from a blip. */
  serverId: string;
  user: SessionUser;
  ui: UiConfig;
  devices: DeviceView[];
  statuses: DeviceStatus[];
  /** Open and acknowledged alerts visible to this user (technicians: their groups only). */
  alerts: Alert[];
  /** Latest value per metric of the devices this socket watches (none right after connecting). */
  latest: MetricSample[];
  /** A web server of a cluster: what is missing in it (the header warns). */
  cluster?: ClusterView;
}

export type Delta =
  | { seq: number; kind: 'status'; status: DeviceStatus }
  | { seq: number; kind: 'alert'; alert: Alert }
  /**
   * Kept for seq continuity only: a technician gets this, with no samples, in place of an alert
   * routed to other groups. Live metric values travel in the `samples` event, outside the seq stream.
   */
  | { seq: number; kind: 'metrics'; samples: MetricSample[] }
  /**
   * The inventory was reloaded: the complete new device list, replacing the old one (devices not in
   * it are gone, with their statuses). Rare, so the whole list rather than a diff: applying it twice
   * is harmless and it cannot drift. Statuses of added devices follow as ordinary `status` deltas.
   */
  | { seq: number; kind: 'devices'; devices: DeviceView[] };

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  deltas: (batch: Delta[]) => void;
  /**
   * Newest values of the devices this socket watches (`watch`), at most once per flush. Not
   * numbered: each sample carries its own `ts`, and an older one never replaces a newer one.
   */
  samples: (samples: MetricSample[]) => void;
  /** The cluster's health changed (a web server of a cluster only). Not numbered: the latest wins. */
  cluster: (view: ClusterView) => void;
}

/** At most this many devices watched per socket (an open drawer is one; a few panes more at most). */
export const MAX_WATCHED = 20;

export interface ClientToServerEvents {
  /** A client saw a gap in `seq`: send a fresh snapshot. Not a command: it changes nothing. */
  resync: () => void;
  /**
   * The devices whose live figures this page shows now (the open drawer), replacing the previous
   * list; [] stops all. The server answers with their latest values at once. Invalid lists are ignored.
   */
  watch: (deviceIds: string[]) => void;
}

export const SESSION_COOKIE = 'pantau_sid';
