import { inspect } from 'node:util';

/**
 * A secret from config (SNMP community, v3 key, password, token). It prints as [REDACTED]
 * through toString, JSON and util.inspect, so logging a config or sending it to the
 * browser can never leak it; only `reveal()` gives the value, at the point of use.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[REDACTED]';
  }
  toJSON(): string {
    return '[REDACTED]';
  }
  [inspect.custom](): string {
    return '[REDACTED]';
  }
}
