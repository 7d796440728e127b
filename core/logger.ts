import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Field names that hold secrets anywhere in a logged object; pino replaces them. */
export const REDACT_PATHS = [
  'password',
  'community',
  'authKey',
  'privKey',
  'token',
  'secret',
  'botToken',
  'sessionSecret',
  '*.password',
  '*.community',
  '*.authKey',
  '*.privKey',
  '*.token',
  '*.secret',
  '*.botToken',
  '*.sessionSecret',
  '*.*.password',
  '*.*.community',
  '*.*.authKey',
  '*.*.privKey',
  '*.*.token',
  '*.*.secret',
  '*.*.botToken',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** The one root logger of a process; components take `logger.child({ module })`. */
export function createLogger(
  opts: { level?: string; destination?: NodeJS.WritableStream; name?: string } = {},
): Logger {
  const options: LoggerOptions = {
    name: opts.name ?? 'pantau',
    level: opts.level ?? process.env['PANTAU_LOG_LEVEL'] ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination as pino.DestinationStream) : pino(options);
}

/** A logger that discards everything, for tests and quiet CLI paths. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
