// @ts-check
/**
 * Module boundaries (ADR 0004, enforced since issue 17; docs/adr/0008): modules meet through core/
 * (types, the bus topics, service interfaces, the shared vocabulary) and never import each other's
 * files; only composition roots wire modules together. eslint.config.js turns this table into one
 * `@typescript-eslint/no-restricted-imports` rule per module, and test/unit/lint/boundaries.test.ts
 * proves that a forbidden import fails lint.
 *
 * Imports are matched by their relative path: every module is a top-level folder and no folder
 * inside a checked module has a module's name, so `(../)+<module>/` always means that module.
 */

/** Every top-level folder that is a module (or a tool built on them). */
export const MODULES = [
  'core',
  'collector',
  'metrics',
  'alerting',
  'history',
  'server',
  'web',
  'dashboards',
  'cluster',
  'simulator',
  'cli',
  'bin',
  'bench',
  'scripts',
  'test',
];

/**
 * Files any module may import: the probe registry, whose list every consumer of results derives
 * from (ADR 0700), the point builder the probe kinds write with (docs/metrics.md), and the
 * notification channel list the config schema derives from (alerting/notify/channels/list.ts).
 */
export const SHARED = [
  'collector/probes/list.js',
  'collector/probes/definition.js',
  'metrics/point.js',
  'alerting/notify/channels/list.js',
];

/**
 * What each module may import besides itself, core/ and SHARED. A module missing here may import
 * anything (composition roots and tools: cli, bin, cluster, scripts, test).
 */
export const MAY_IMPORT = {
  core: [],
  collector: [],
  metrics: [],
  alerting: [],
  history: [],
  /** The server hosts the history routes (reports, CSV, Grafana links). */
  server: ['history'],
  /** The page: core/ only, and from core/ only zod-free files (see WEB_CORE_TYPES_ONLY). */
  web: [],
  dashboards: [],
  simulator: [],
  /** Benchmarks start the real thing, with the test helpers; never a unit test's fixture. */
  bench: [
    'collector',
    'metrics',
    'alerting',
    'history',
    'server',
    'simulator',
    'cluster',
    'test/helpers',
    'test/integration',
  ],
};

/** Parts of core/ that pull zod or Node into the page's bundle: the page may import their types only. */
export const WEB_CORE_TYPES_ONLY = [
  'core/config',
  'core/inventory',
  'core/redis',
  'core/region',
  'core/store',
  'core/logger.js',
  'core/secret.js',
  'core/services.js',
  'core/bus.js',
];

/**
 * Composition roots (ADR 0004: only they build the modules and wire them) and the recorded
 * exceptions still to be removed, each with why. A file here may import what its module may, plus these.
 */
export const EXCEPTIONS = [
  {
    files: ['server/main.ts', 'server/preflight.ts'],
    may: ['collector', 'metrics', 'alerting'],
    why: 'composition root: builds and wires the modules (ADR 0004)',
  },
  {
    files: ['history/service.ts'],
    may: ['alerting/notify', 'alerting/store/migrations.js'],
    why: 'recorded exception (issue 17): the history API sends test notifications and reads the alert store directly; to go behind core/services.ts',
  },
  {
    files: ['history/rollups.ts'],
    may: ['metrics'],
    why: "recorded exception (issue 17): the embedded rollups reuse the metrics module's history store; to go behind core/services.ts",
  },
];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The module a repo-relative file belongs to ('web' for web/src/…). */
export const moduleOf = (file) => file.split('/')[0];

/**
 * The regex a module's (or an exception file's) forbidden imports match: `(../)+` and then any
 * module folder, unless what follows is its own module, core/, a SHARED file or an allowed path.
 */
export function forbiddenImportRegex(mod, extra = []) {
  const allowed = [mod, 'core', ...(MAY_IMPORT[mod] ?? []), ...extra];
  const allow = [
    ...allowed.map((a) => (a.endsWith('.js') ? `${esc(a)}$` : `${esc(a)}/`)),
    ...SHARED.map((s) => `${esc(s)}$`),
  ];
  return `^(?:\\.\\./)+(?!${allow.join('|')})(?:${MODULES.map(esc).join('|')})/`;
}

/** ESLint flat-config blocks, one per module and one per exception (later blocks win for their files). */
export function boundaryConfigs() {
  const rule = (mod, extra, typesOnly = []) => ({
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: forbiddenImportRegex(mod, extra),
            message: `module boundary (ADR 0004, eslint.boundaries.js): ${mod}/ meets other modules through core/ only`,
          },
          ...typesOnly.map((p) => ({
            regex: `^(?:\\.\\./)+${esc(p)}${p.endsWith('.js') ? '$' : '/'}`,
            allowTypeImports: true,
            message: 'the page imports only zod-free core/ files (types from the others)',
          })),
        ],
      },
    ],
  });
  const blocks = Object.keys(MAY_IMPORT).map((mod) => ({
    files: [mod === 'web' ? 'web/src/**/*.ts' : `${mod}/**/*.ts`],
    rules: rule(mod, [], mod === 'web' ? WEB_CORE_TYPES_ONLY : []),
  }));
  for (const e of EXCEPTIONS) blocks.push({ files: e.files, rules: rule(moduleOf(e.files[0]), e.may) });
  return blocks;
}
