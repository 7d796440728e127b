import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { renderConfigSchema } from '../../../core/config/schema-file.js';

describe('config/schema.json', () => {
  it('is current with the zod schema (run npm run schema after changing it)', () => {
    expect(readFileSync('config/schema.json', 'utf8')).to.equal(renderConfigSchema());
  });
});
