import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MACHINE_NAMES } from '../../../machines/registry.js';
import { DIAGRAMS_DIR, diagramPath, expectedDiagrams } from '../../../web/diagram/machine-diagrams.js';

const STALE = 'diagrams are stale: run npm run diagrams';

describe('committed machine diagrams', () => {
  it('are what the machines render to now', async () => {
    for (const [name, svg] of await expectedDiagrams()) {
      const file = diagramPath(name);
      expect(existsSync(file), `${STALE} (${file} is missing)`).toBe(true);
      expect(readFileSync(file, 'utf8') === svg, `${STALE} (${file} differs)`).toBe(true);
    }
  });

  it('are one per registered machine', () => {
    const committed = readdirSync(DIAGRAMS_DIR).filter((file) => file.endsWith('.svg')).sort();
    expect(committed, STALE).toEqual(MACHINE_NAMES.map((name) => `${name}.svg`).sort());
  });
});
