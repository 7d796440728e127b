import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { Device } from '../core/inventory/schema.js';

export interface LabConfigInput {
  /** The text of the config the lab was started from (comments and ${ENV} references are kept). */
  configText: string;
  /** Folder of that config: its relative paths (profiles, rules) are made absolute so DIR can live anywhere. */
  configDir: string;
  devices: readonly Device[];
  /** The ports the lab's devices answer on (they differ without root). */
  ports: { snmp: number | null; onvif: number };
  /** Shown in the header comment. */
  command: string;
  /** The lab's services: their CA file and DNS server, and their ports when not the URLs' own. */
  services?: { caFile: string; dnsServer: string; httpsPort: number | null; httpPort: number | null } | null;
}

/**
 * Pure: the pantau.yaml and inventory.yaml that poll exactly the lab that is running, from the
 * config it was started with. Everything else (intervals, rules, credentials as ${ENV:-demo}
 * references) stays as in that config, so a scale run measures the shipped defaults.
 */
export function labConfigFiles(input: LabConfigInput): { 'pantau.yaml': string; 'inventory.yaml': string } {
  const doc = parseDocument(input.configText);
  const abs = (key: string[], fallback: string) => {
    const v = doc.getIn(key);
    doc.setIn(key, resolve(input.configDir, typeof v === 'string' ? v : fallback));
  };
  doc.set('inventory', ['inventory.yaml']);
  abs(['collector', 'profilesDir'], 'profiles');
  if (doc.getIn(['alerting', 'rulesFile']) !== undefined) abs(['alerting', 'rulesFile'], 'rules/default.yaml');
  doc.setIn(['store', 'path'], 'pantau.db');
  const svc = input.services;
  if (svc) {
    // pantau trusts the lab's CA and asks the lab's DNS server only through this config (ADR 0702).
    doc.setIn(['collector', 'http', 'caFile'], svc.caFile);
    doc.setIn(['collector', 'tls', 'caFile'], svc.caFile);
    doc.setIn(['collector', 'dns', 'server'], svc.dnsServer);
  }
  doc.commentBefore = ` Written by \`${input.command}\` for the lab it started: run \`pantau start --config <this file>\`\n in the lab's network namespace.${doc.commentBefore ? `\n${doc.commentBefore}` : ''}`;
  const devices = input.devices.map((d) => {
    const probes = { ...d.probes };
    if (probes.snmp && input.ports.snmp !== null) probes.snmp = { ...probes.snmp, port: input.ports.snmp };
    if (probes.onvif) probes.onvif = { ...probes.onvif, port: input.ports.onvif };
    if (probes.http && svc) {
      const url = new URL(probes.http.url);
      const port = url.protocol === 'https:' ? svc.httpsPort : svc.httpPort;
      if (port !== null) {
        url.port = String(port);
        probes.http = { ...probes.http, url: url.toString() };
        if (url.protocol === 'https:' && !probes.tls?.port && probes.tls) probes.tls = { ...probes.tls, port };
      }
    }
    return { ...d, probes };
  });
  return {
    'pantau.yaml': doc.toString(),
    'inventory.yaml': `# Written by \`${input.command}\`: the lab's devices (${devices.length}); not a real network.\n${stringify({ devices })}`,
  };
}

/** Writes both files into `dir` (created if missing); returns the path of pantau.yaml. */
export function writeLabConfig(
  dir: string,
  input: Omit<LabConfigInput, 'configText' | 'configDir'> & { configPath: string },
): string {
  mkdirSync(dir, { recursive: true });
  const { configPath, ...rest } = input;
  const files = labConfigFiles({
    ...rest,
    configText: readFileSync(configPath, 'utf8'),
    configDir: dirname(resolve(configPath)),
  });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return resolve(dir, 'pantau.yaml');
}
