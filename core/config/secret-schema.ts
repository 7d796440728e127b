import { z } from 'zod';
import { Secret } from '../secret.js';

/** A config string that is a secret: becomes a Secret (redacted everywhere) after parsing. */
export const secretString = () =>
  z
    .string()
    .min(1, 'secret is empty')
    .transform((s) => new Secret(s))
    .meta({ description: 'secret: use ${ENV_VAR} or ${ENV_VAR} with ENV_VAR_FILE' });
