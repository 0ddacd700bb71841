import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { machineDot } from './dot.js';
import { machineGraph } from './machine-graph.js';

// Loading compiles the Graphviz WebAssembly module (the binary ships inside the package,
// so nothing is fetched); do it once per process and share the instance.
let graphviz: Promise<Graphviz> | undefined;

/** SVG for a Graphviz DOT source, laid out by `dot`. */
export async function renderDotSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  return withMetricCompatibleFonts((await graphviz).dot(dot, 'svg'));
}

// Graphviz sized the text with Helvetica metrics, then asks for Helvetica or any
// sans-serif. Where Helvetica is missing (most Linux desktops), that sans-serif is often
// DejaVu Sans, which is wider, and labels overflow their boxes; Arial and Liberation Sans
// have Helvetica's metrics, so asking for them first keeps the text inside.
function withMetricCompatibleFonts(svg: string): string {
  return svg.replaceAll('font-family="Helvetica,sans-Serif"', 'font-family="Helvetica,Arial,Liberation Sans,sans-serif"');
}

// A diagram depends only on its machine and the states highlighted, of which a machine has
// few combinations: each is laid out once (Graphviz takes milliseconds) and kept.
const rendered = new WeakMap<AnyStateMachine, Map<string, Promise<string>>>();

/** An SVG diagram of a machine definition, with the given XState state ids highlighted. */
export function renderMachineSvg(machine: AnyStateMachine, activeStateIds: readonly string[] = []): Promise<string> {
  let byActive = rendered.get(machine);
  if (!byActive) rendered.set(machine, (byActive = new Map()));
  const key = [...new Set(activeStateIds)].sort().join('\n');
  let svg = byActive.get(key);
  if (!svg) {
    svg = renderDotSvg(machineDot(machineGraph(machine), new Set(activeStateIds)));
    byActive.set(key, svg);
    // A failed rendering is not kept: the next request tries again.
    svg.catch(() => byActive.delete(key));
  }
  return svg;
}

/** The ids of a snapshot's active state nodes, ancestors included, for `renderMachineSvg`. */
export function activeStateIds(snapshot: AnyMachineSnapshot): string[] {
  return snapshot._nodes.map((node) => node.id);
}
