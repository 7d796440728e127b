/**
 * What the core writes for the web servers (ADR 0901): the page's numbered deltas, numbered once
 * by the core, on one Redis stream `<prefix>realtime`, so every web server sends its pages the same
 * deltas in the same order with the same `seq`. `epoch` changes when the core restarts (its seq
 * starts again at 0): a web server then takes a fresh snapshot. Pure: shapes and checks only.
 */
import { z } from 'zod';
import type { Alert, DeviceStatus } from '../core/types.js';
import type { Delta } from '../core/realtime.js';

export const realtimeStreamKey = (prefix: string) => `${prefix}realtime`;

export interface FeedEntry {
  epoch: string;
  delta: Delta;
  /** For alert deltas: the notification groups it is routed to (technicians' filter on the web server). */
  groups?: string[];
}

/** The core's state as of `seq` (RPC `snapshot`). */
export interface CoreSnapshot {
  epoch: string;
  seq: number;
  statuses: DeviceStatus[];
  /** Open, acknowledged and the most recent resolved alerts. */
  alerts: Alert[];
  /** Routed groups per alert id. */
  groups: Record<string, string[]>;
}

const entryShape = z.object({
  epoch: z.string().min(1).max(100),
  delta: z.object({ seq: z.number().int().positive(), kind: z.enum(['status', 'alert']) }).loose(),
  groups: z.array(z.string()).optional(),
});

/** Parses one stream entry; null when it is not a feed entry (logged and skipped by the reader). */
export function decodeFeedEntry(raw: string | undefined): FeedEntry | null {
  if (raw === undefined) return null;
  try {
    const parsed = entryShape.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const d = parsed.data.delta as Record<string, unknown>;
    if (d['kind'] === 'status' && (typeof d['status'] !== 'object' || d['status'] === null)) return null;
    if (d['kind'] === 'alert' && (typeof d['alert'] !== 'object' || d['alert'] === null)) return null;
    return parsed.data as unknown as FeedEntry;
  } catch {
    return null;
  }
}

/**
 * What a web server does with the next entry, given the epoch and seq it is at: apply it, ignore it
 * (already in its snapshot), or take a new snapshot (a gap: entries lost, or the core restarted).
 */
export function nextStep(at: { epoch: string; seq: number } | null, e: FeedEntry): 'apply' | 'skip' | 'resync' {
  if (!at) return 'resync';
  if (e.epoch !== at.epoch) return 'resync';
  if (e.delta.seq <= at.seq) return 'skip';
  return e.delta.seq === at.seq + 1 ? 'apply' : 'resync';
}
