import { configJsonSchema } from './schema.js';

/** config/schema.json exactly as committed (stable key order, trailing newline). */
export function renderConfigSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
