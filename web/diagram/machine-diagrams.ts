import type { MachineName } from '../../machines/effects.js';
import { MACHINES, MACHINE_NAMES } from '../../machines/registry.js';
import { renderMachineSvg } from './render-svg.js';

/** Where the committed diagrams live, relative to the repository root. */
export const DIAGRAMS_DIR = 'docs/machines';

/** The path of a machine's committed diagram, relative to the repository root. */
export function diagramPath(name: MachineName): string {
  return `${DIAGRAMS_DIR}/${name}.svg`;
}

/**
 * Every registered machine's diagram with nothing highlighted, by name: what
 * `npm run diagrams` writes and what the freshness test compares the committed files with.
 */
export async function expectedDiagrams(): Promise<ReadonlyMap<MachineName, string>> {
  const diagrams = new Map<MachineName, string>();
  for (const name of MACHINE_NAMES) diagrams.set(name, await renderMachineSvg(MACHINES[name].machine));
  return diagrams;
}
