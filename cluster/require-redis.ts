import { PantauError } from '../core/errors.js';

/** The message `pantau start` and `pantau validate` give when a role needs Redis and none is configured. */
export function redisRequired(role: string, file: string): PantauError {
  return new PantauError(
    'PANTAU_CONFIG_INVALID',
    `${file}: --role ${role} memerlukan bagian redis: / --role ${role} needs a redis: section`,
    {
      details: [
        'redis: { url: redis://host:6379, password: ${PANTAU_REDIS_PASSWORD} } (docs/scale.md); only --role all (the default) runs without Redis',
      ],
    },
  );
}
