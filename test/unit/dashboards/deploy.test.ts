import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../core/config/load.js';
import { DATASOURCE } from '../../../dashboards/src/common.js';
import { dashboardProvidersFileSchema, datasourcesFileSchema, envRefs } from '../../../dashboards/src/provisioning.js';
import { SOURCE_DIRS } from '../../../bin/dist.mjs';

const read = (p: string) => readFileSync(p, 'utf8');

/** Runs docker-compose; a missing binary fails under CI=true, else the test is skipped. */
function compose(args: string[], ctx: Mocha.Context): Promise<{ code: number; out: string }> {
  return new Promise((res, rej) => {
    execFile('docker-compose', args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        if (process.env['CI'] === 'true')
          rej(new Error('docker-compose not installed (Debian docker-compose; scripts/install-system-deps.sh)'));
        else {
          ctx.skip();
        }
        return;
      }
      res({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

interface ComposeService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  cap_add?: string[];
  cap_drop?: string[];
  user?: string;
  network_mode?: string;
  volumes?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  ports?: string[];
  command?: string[];
}
// merge: the scale profile shares one definition between collector-1/-2 and web-1/-2 (YAML << keys).
const composeFile = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const svc = (name: string): ComposeService => {
  const s = composeFile.services[name];
  if (!s) throw new Error(`service ${name} missing`);
  return s;
};

describe('deploy/docker-compose', function () {
  this.timeout(60_000);

  it('validates with docker-compose config -q, with and without the lab profile', async function () {
    for (const extra of [[], ['--profile', 'lab']]) {
      const r = await compose(
        ['--env-file', '.env.example', '-f', 'docker-compose.yml', ...extra, 'config', '-q'],
        this,
      );
      expect(r.code, r.out).to.equal(0);
    }
  });

  it('docker-compose config -q really rejects an invalid file (the check is not a no-op)', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-compose-'));
    try {
      writeFileSync(
        join(dir, 'docker-compose.yml'),
        read('docker-compose.yml').replace('cap_add: [NET_RAW]', 'cap_add: NET_RAW'),
      );
      const r = await compose(
        ['--env-file', resolve('.env.example'), '-f', join(dir, 'docker-compose.yml'), 'config', '-q'],
        this,
      );
      expect(r.code).to.not.equal(0);
      expect(r.out).to.match(/cap_add/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pins every image, keeps data in named volumes, and takes every secret from .env', () => {
    for (const name of ['influxdb', 'grafana']) expect(svc(name).image, name).to.match(/^[a-z/-]+:\d+\.\d+\.\d+$/);
    const named = Object.keys(composeFile.volumes);
    const dataMount = (s: string, path: string) =>
      svc(s).volumes?.some((v) => v.endsWith(`:${path}`) && named.includes(v.split(':')[0] ?? ''));
    expect(dataMount('influxdb', '/var/lib/influxdb')).to.equal(true);
    expect(dataMount('grafana', '/var/lib/grafana')).to.equal(true);
    expect(dataMount('pantau', '/var/lib/pantau')).to.equal(true);
    const text = read('docker-compose.yml');
    const required = [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]);
    const example = new Set([...read('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(required.length).to.be.greaterThan(2);
    for (const v of required) expect(example.has(v), `${v} in .env.example`).to.equal(true);
    // No literal secret in the compose file: every *PASSWORD*/TOKEN value is a ${…} reference.
    for (const [name, s] of Object.entries(composeFile.services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|TOKEN|COMMUNITY|_KEY$/.test(k))
          expect(String(v), `${name}.${k}`).to.match(/^\$\{[A-Z0-9_]+(:[-?][^}]*)?\}$/);
      }
    }
  });

  it('runs pantau unprivileged with only NET_RAW, a /healthz healthcheck, and the lab behind a profile in its network namespace', () => {
    const p = svc('pantau');
    expect(p.build).to.equal('.');
    expect(p.cap_drop).to.deep.equal(['ALL']);
    expect(p.cap_add).to.deep.equal(['NET_RAW']);
    expect(p.healthcheck?.test.join(' ')).to.contain('/healthz');
    const lab = svc('lab');
    expect(lab.profiles).to.deep.equal(['lab']);
    expect(lab.network_mode).to.equal('service:pantau');
    expect(
      Object.entries(composeFile.services)
        .filter(([, s]) => !s.profiles)
        .map(([n]) => n)
        .sort(),
    ).to.deep.equal(['grafana', 'influxdb', 'pantau']);
  });

  it('provisions Grafana with our datasource and the generated dashboards at the provider path', () => {
    const g = svc('grafana');
    const provider = dashboardProvidersFileSchema.parse(parse(read('dashboards/provisioning/dashboards/pantau.yaml')));
    const mounts = new Map(
      (g.volumes ?? []).map((v) => {
        const [src, dst] = v.split(':');
        return [dst, src];
      }),
    );
    expect(mounts.get('/etc/grafana/provisioning/datasources')).to.equal('./dashboards/provisioning/datasources');
    expect(mounts.get('/etc/grafana/provisioning/dashboards')).to.equal('./dashboards/provisioning/dashboards');
    expect(mounts.get(provider.providers[0]?.options.path)).to.equal('./dashboards/generated');
    // Every ${VAR} the datasource file needs is in Grafana's environment.
    const needed = envRefs(read('dashboards/provisioning/datasources/influxdb.yaml'));
    for (const v of needed) expect(Object.keys(g.environment ?? {}), `grafana env ${v}`).to.include(v);
  });
});

describe('deploy/docker-compose scale profile (issue 16)', function () {
  this.timeout(60_000);

  it('validates with docker-compose config -q --profile scale: redis, 2 collectors, core, 2 web and a load balancer', async function () {
    const r = await compose(
      ['--env-file', '.env.example', '-f', 'docker-compose.yml', '--profile', 'scale', 'config', '-q'],
      this,
    );
    expect(r.code, r.out).to.equal(0);
    const scale = Object.entries(composeFile.services)
      .filter(([, s]) => s.profiles?.includes('scale'))
      .map(([n]) => n)
      .sort();
    expect(scale).to.deep.equal(['collector-1', 'collector-2', 'core', 'lb', 'redis', 'web-1', 'web-2']);
  });

  it('docker-compose renders every role with its own name, and only the load balancer is published', async function () {
    const r = await compose(
      ['--env-file', '.env.example', '-f', 'docker-compose.yml', '--profile', 'scale', 'config'],
      this,
    );
    expect(r.code, r.out).to.equal(0);
    const rendered = (parse(r.out) as { services: Record<string, ComposeService> }).services;
    const role = (n: string) => rendered[n]?.command?.join(' ');
    expect(role('collector-1')).to.equal('start --role collector --name collector-1');
    expect(role('collector-2')).to.equal('start --role collector --name collector-2');
    expect(role('core')).to.equal('start --role core --name core');
    expect(role('web-1')).to.equal('start --role web --name web-1');
    expect(role('web-2')).to.equal('start --role web --name web-2');
    // Collectors probe (NET_RAW for fping); the others get no capability at all.
    expect(rendered['collector-2']?.cap_add).to.deep.equal(['NET_RAW']);
    for (const n of ['core', 'web-1', 'web-2']) expect(rendered[n]?.cap_add ?? [], n).to.deep.equal([]);
    // Each collector has its own spool volume; the web servers keep nothing.
    expect(svc('collector-1').volumes?.[0]).to.match(/^collector-1-data:/);
    expect(svc('collector-2').volumes?.[0]).to.match(/^collector-2-data:/);
    const published = Object.entries(svc('lb').ports ?? []).length;
    expect(published).to.equal(1);
    for (const n of ['redis', 'collector-1', 'collector-2', 'core', 'web-1', 'web-2'])
      expect(svc(n).ports, n).to.equal(undefined);
    expect(svc('redis').image).to.match(/^redis:\d+\.\d+\.\d+$/);
    expect(svc('lb').image).to.match(/^nginx:\d+\.\d+\.\d+-alpine$/);
    // The Redis password only as a reference to .env.
    expect(svc('core').environment?.['PANTAU_REDIS_PASSWORD']).to.match(/^\$\{PANTAU_REDIS_PASSWORD:\?/);
  });

  it('the load balancer sends to both web servers with the WebSocket upgrade; the scale config is a valid cluster config', () => {
    const conf = read('deploy/nginx/scale.conf');
    expect(conf)
      .to.match(/server web-1:3000/)
      .and.match(/server web-2:3000/)
      .and.match(/proxy_set_header Upgrade \$http_upgrade/);
    expect(svc('lb').volumes).to.include('./deploy/nginx/scale.conf:/etc/nginx/conf.d/default.conf:ro');
    const loaded = loadConfig('config/pantau.scale.yaml', {
      PANTAU_INFLUX_PASSWORD: 'x',
      PANTAU_REDIS_PASSWORD: 'secret-redis',
    });
    expect(loaded.config.redis?.url).to.equal('redis://redis:6379');
    expect(loaded.config.redis?.password?.reveal()).to.equal('secret-redis');
    expect(loaded.config.cluster.metricsPort).to.equal(9464);
    expect(loaded.config.server.host).to.equal('0.0.0.0');
    expect(loaded.config.redis?.spool.path.startsWith('/var/lib/pantau/')).to.equal(true);
  });
});

describe('deploy/Dockerfile', () => {
  const docker = read('Dockerfile');

  it('is multi-stage, runs as a non-root user, gives fping CAP_NET_RAW and checks /healthz', () => {
    expect((docker.match(/^FROM /gm) ?? []).length).to.be.at.least(3);
    const users = [...docker.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).to.equal('pantau');
    expect(docker).to.match(/setcap cap_net_raw\+ep "\$\(command -v fping\)"/);
    expect(docker).to.match(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(read('.dockerignore')).to.match(/^\.env$/m);
  });

  it('runs the prebuilt JavaScript: dist/ built in the image, no TypeScript sources beside it (ADR 0011)', () => {
    expect(docker).to.match(/^RUN .*node scripts\/build-dist\.mjs/m);
    expect(docker).to.match(/^COPY --from=web \/app\/dist \.\/dist$/m);
    // A source folder beside dist/ would make bin/pantau.mjs see dist/ as stale and look for tsx + sources.
    for (const dir of SOURCE_DIRS) expect(docker, dir).not.to.match(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
    // The files pantau reads beside its code at run time.
    for (const path of ['bin', 'config', 'status/status.css', 'simulator/inventory', 'simulator/scenarios'])
      expect(docker, path).to.match(new RegExp(`^COPY ${path} \\./${path}$`, 'm'));
    expect(docker).to.match(/^COPY --from=web \/app\/web\/dist \.\/web\/dist$/m);
    // npm ci runs "prepare" in the deps stage, before the sources are there.
    expect(docker).to.match(/^COPY scripts\/build-dist\.mjs /m);
    expect(read('.dockerignore')).to.match(/^dist$/m);
  });

  it('writes a container config that pantau loads: influx1 sink, all interfaces, traps on 1162, state in the volume', function () {
    this.timeout(30_000);
    // The image sets PANTAU_CONFIG to the repository's container config.
    expect(docker).to.match(/^ENV PANTAU_CONFIG=\/app\/config\/pantau\.container\.yaml$/m);
    expect(svc('pantau').environment?.['PANTAU_CONFIG']).to.equal(
      '${PANTAU_CONFIG:-/app/config/pantau.container.yaml}',
    );
    {
      const loaded = loadConfig('config/pantau.container.yaml', { PANTAU_INFLUX_PASSWORD: 'secret' });
      const c = loaded.config;
      expect(c.metrics.sink).to.equal('influx1');
      expect(c.metrics.influx1?.url).to.equal('http://influxdb:8086');
      expect(c.metrics.influx1?.database).to.equal('pantau');
      expect(c.server.host).to.equal('0.0.0.0');
      expect(c.collector.traps.port).to.equal(1162);
      expect(c.store.path.startsWith('/var/lib/pantau/')).to.equal(true);
      expect(c.metrics.outbox.path.startsWith('/var/lib/pantau/')).to.equal(true);
      expect(loaded.inventory.devices.length).to.equal(239);
      // The compose ports line maps host UDP 162 to that trap port.
      expect(svc('pantau').ports).to.include('${PANTAU_TRAP_BIND:-0.0.0.0}:162:1162/udp');
    }
  });
});

describe('deploy/provisioning files', () => {
  it('the InfluxDB 1.x datasource is InfluxQL with user/password and the uid every dashboard uses', () => {
    const f = datasourcesFileSchema.parse(parse(read('dashboards/provisioning/datasources/influxdb.yaml')));
    const ds = f.datasources[0];
    expect(ds?.uid).to.equal(DATASOURCE.uid);
    expect(ds?.jsonData.version).to.equal('InfluxQL');
    expect(ds?.secureJsonData.password).to.equal('${INFLUX_READ_USER_PASSWORD}');
  });

  it('the InfluxDB 2.x datasource sends "Authorization: Token ${INFLUX_TOKEN}" and no password', () => {
    const f = datasourcesFileSchema.parse(parse(read('dashboards/provisioning/datasources-influxdb2/influxdb.yaml')));
    const ds = f.datasources[0];
    expect(ds?.uid).to.equal(DATASOURCE.uid);
    expect(ds?.jsonData.httpHeaderName1).to.equal('Authorization');
    expect(ds?.secureJsonData.httpHeaderValue1).to.equal('Token ${INFLUX_TOKEN}');
    expect(ds?.user).to.equal(undefined);
  });

  it('our schema rejects what Grafana would silently mis-provision', () => {
    const good = parse(read('dashboards/provisioning/datasources-influxdb2/influxdb.yaml')) as {
      datasources: Array<Record<string, unknown>>;
    };
    const broken = structuredClone(good);
    const ds = broken.datasources[0] as { jsonData: Record<string, unknown>; secureJsonData: Record<string, unknown> };
    ds.secureJsonData['httpHeaderValue1'] = '${INFLUX_TOKEN}';
    expect(datasourcesFileSchema.safeParse(broken).success, 'token without the "Token " scheme').to.equal(false);
    const flux = structuredClone(good);
    (flux.datasources[0] as { jsonData: Record<string, unknown> }).jsonData['version'] = 'Flux';
    expect(datasourcesFileSchema.safeParse(flux).success, 'Flux: the dashboards speak InfluxQL').to.equal(false);
    const provider = parse(read('dashboards/provisioning/dashboards/pantau.yaml')) as {
      providers: Array<{ options: { path: string } }>;
    };
    provider.providers[0]!.options.path = 'relative/path';
    expect(dashboardProvidersFileSchema.safeParse(provider).success).to.equal(false);
  });
});
