import { entryExitLines, html, transitionLines } from './dot-labels.js';
import type { GraphEdge, GraphNode, MachineGraph } from './machine-graph.js';

// Layout of a machine as a Graphviz digraph:
// - the root is the canvas: its id and entry/exit actions are the diagram's title;
// - compound and parallel states are clusters (regions of a parallel state dashed);
//   atomic, final and history states are boxes (final ones double-bordered);
// - transitions with a target are edges; targetless ones (most client events, e.g.
//   ASSIGN_LICENSES) run without leaving the state, so they are listed inside it, under
//   its entry/exit actions, rather than drawn as self-loops that would crowd the layout;
// - a small black dot in each compound state points at its initial child.
// Every state's SVG element gets its XState id as `id`, and active states the class
// `active`, so a page can find and restyle them.

// One PostScript font name: Graphviz sizes text from its built-in Helvetica metrics only
// when the name is exactly that (a fallback list makes it use narrower Times metrics,
// and labels overflow their boxes); the SVG then asks for Helvetica or any sans-serif.
const FONT = 'Helvetica';
const LINE = '<BR ALIGN="LEFT"/>';

/** Colours and widths of a state, by whether it is active. */
export const STATE_STYLE = {
  inactive: { fill: '#ffffff', clusterFill: '#f8fafc', border: '#64748b', penwidth: 1.2 },
  active: { fill: '#fde68a', clusterFill: '#fef3c7', border: '#b45309', penwidth: 3 },
} as const;

const ANY_STATE = '(any state)';

/** Graphviz DOT for a machine graph, with the given state ids highlighted (the root, being the canvas, never is). */
export function machineDot(graph: MachineGraph, activeStateIds: ReadonlySet<string> = new Set()): string {
  return new DotWriter(graph, activeStateIds).write();
}

class DotWriter {
  private readonly nodes: ReadonlyMap<string, GraphNode>;
  private readonly internal = new Map<string, GraphEdge[]>();
  private readonly external: GraphEdge[] = [];
  private readonly lines: string[] = [];

  constructor(
    private readonly graph: MachineGraph,
    private readonly active: ReadonlySet<string>,
  ) {
    this.nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    for (const edge of graph.edges) {
      if (edge.targets.length > 0) this.external.push(edge);
      else this.internal.set(edge.source, [...(this.internal.get(edge.source) ?? []), edge]);
    }
  }

  write(): string {
    const root = this.node(this.graph.id);
    this.line(0, `digraph ${quote(root.id)} {`);
    this.line(1, `graph [${attrs({
      id: root.id,
      compound: true,
      rankdir: 'TB',
      newrank: true,
      nodesep: 0.45,
      ranksep: 0.5,
      pad: 0.25,
      fontname: FONT,
      fontsize: 16,
      labelloc: 't',
      labeljust: 'l',
      label: htmlLabel(this.table(`<FONT POINT-SIZE="18"><B>${html(root.key)}</B></FONT>`, this.rows(root), 'LEFT')),
    })}];`);
    this.line(1, `node [${attrs({ fontname: FONT, fontsize: 11, shape: 'box', style: 'rounded,filled', margin: '0.14,0.06' })}];`);
    this.line(1, `edge [${attrs({ fontname: FONT, fontsize: 10, color: '#334155', arrowsize: 0.7 })}];`);
    // Root-level transitions apply in every state; they need a box to start from.
    if (this.needsAnchor(root)) {
      this.line(1, `${quote(anchorId(root))} [${attrs({ id: anchorId(root), label: ANY_STATE, style: 'dashed' })}];`);
    }
    this.children(root, 1);
    for (const edge of this.external) for (const target of edge.targets) this.edge(edge, target);
    this.line(0, '}');
    return `${this.lines.join('\n')}\n`;
  }

  private children(parent: GraphNode, depth: number): void {
    if (parent.initial !== null) this.initialMarker(parent, depth);
    for (const id of parent.children) {
      const child = this.node(id);
      if (isCluster(child)) this.cluster(child, parent, depth);
      else this.leaf(child, depth);
    }
  }

  private cluster(node: GraphNode, parent: GraphNode, depth: number): void {
    const style = this.styleOf(node);
    this.line(depth, `subgraph ${quote(clusterId(node))} {`);
    this.line(depth + 1, `graph [${attrs({
      id: node.id,
      class: this.classOf(node),
      label: htmlLabel(`<B>${html(node.key)}</B>${node.type === 'parallel' ? ' (parallel)' : ''}`),
      fontsize: 13,
      style: parent.type === 'parallel' ? 'dashed,rounded,filled' : 'rounded,filled',
      fillcolor: style.clusterFill,
      color: style.border,
      penwidth: style.penwidth,
      margin: 12,
    })}];`);
    const rows = this.rows(node);
    if (rows.length > 0) {
      // The state's own actions and targetless transitions, as a borderless compartment.
      this.line(depth + 1, `${quote(anchorId(node))} [${attrs({ id: anchorId(node), shape: 'none', style: 'solid', margin: '0.1,0.04', label: htmlLabel(this.table(null, rows, 'LEFT')) })}];`);
      // Keep the compartment at the top, under the state's name, as in UML.
      if (node.initial !== null) this.line(depth + 1, `{ rank=same; ${quote(initialId(node))}; ${quote(anchorId(node))}; }`);
    } else if (this.needsAnchor(node)) {
      this.line(depth + 1, `${quote(anchorId(node))} [${attrs({ id: anchorId(node), shape: 'point', style: 'invis', width: 0.01 })}];`);
    }
    this.children(node, depth + 1);
    this.line(depth, '}');
  }

  private leaf(node: GraphNode, depth: number): void {
    const style = this.styleOf(node);
    const common = { id: node.id, class: this.classOf(node), fillcolor: style.fill, color: style.border, penwidth: style.penwidth };
    if (node.type === 'history') {
      const label = node.history === 'deep' ? 'H*' : 'H';
      this.line(depth, `${quote(node.id)} [${attrs({ ...common, shape: 'circle', style: 'filled', label, tooltip: node.key })}];`);
      return;
    }
    const title = `<B>${html(node.key)}</B>`;
    this.line(depth, `${quote(node.id)} [${attrs({
      ...common,
      // Graphviz draws no second border around rounded boxes, so final states are square.
      style: node.type === 'final' ? 'filled' : 'rounded,filled',
      peripheries: node.type === 'final' ? 2 : 1,
      label: htmlLabel(this.table(title, this.rows(node), 'CENTER')),
    })}];`);
  }

  private initialMarker(parent: GraphNode, depth: number): void {
    const initial = this.node(parent.initial ?? '');
    const id = initialId(parent);
    this.line(depth, `${quote(id)} [${attrs({ id, shape: 'point', width: 0.12, color: '#0f172a', label: '' })}];`);
    const head = this.headOf(initial);
    const lhead = isCluster(initial) ? clusterId(initial) : undefined;
    this.line(depth, `${quote(id)} -> ${quote(head)} [${attrs({ id: `${id}->${initial.id}`, lhead })}];`);
  }

  private edge(edge: GraphEdge, targetId: string): void {
    const source = this.node(edge.source);
    const target = this.node(targetId);
    const clip: { ltail?: string; lhead?: string } = {};
    // Clipping at a cluster border only makes sense when the other end is outside it.
    if (isCluster(source) && !this.isWithin(target, source)) clip.ltail = clusterId(source);
    if (isCluster(target) && !this.isWithin(source, target)) clip.lhead = clusterId(target);
    const label = htmlLabel(`${transitionLines(edge).join(LINE)}${LINE}`);
    this.line(1, `${quote(this.tailOf(source))} -> ${quote(this.headOf(target))} [${attrs({ id: `${edge.id}->${targetId}`, label, ...clip })}];`);
  }

  /** Entry/exit actions and targetless transitions, one HTML line each. */
  private rows(node: GraphNode): string[] {
    return [...entryExitLines(node), ...(this.internal.get(node.id) ?? []).flatMap(transitionLines)];
  }

  private table(title: string | null, rows: readonly string[], align: 'LEFT' | 'CENTER'): string {
    const cells: string[] = [];
    if (title !== null) cells.push(`<TR><TD ALIGN="${align}">${title}</TD></TR>`);
    if (title !== null && rows.length > 0) cells.push('<HR/>');
    if (rows.length > 0) cells.push(`<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="10">${rows.join(LINE)}${LINE}</FONT></TD></TR>`);
    return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">${cells.join('')}</TABLE>`;
  }

  /** The DOT node an edge leaving this state starts from. */
  private tailOf(node: GraphNode): string {
    return isCluster(node) || node.parent === null ? anchorId(node) : node.id;
  }

  /** The DOT node an edge entering this state ends at: a compound state's initial marker, since that is where entering it leads. */
  private headOf(node: GraphNode): string {
    return (isCluster(node) || node.parent === null) && node.initial !== null ? initialId(node) : this.tailOf(node);
  }

  /** Whether a compound state or the root needs a node of its own for edges to attach to. */
  private needsAnchor(node: GraphNode): boolean {
    return this.external.some((edge) => edge.source === node.id || (edge.targets.includes(node.id) && this.headOf(node) === anchorId(node)));
  }

  private isWithin(node: GraphNode, ancestor: GraphNode): boolean {
    for (let id: string | null = node.id; id !== null; id = this.node(id).parent) if (id === ancestor.id) return true;
    return false;
  }

  private styleOf(node: GraphNode) {
    return this.active.has(node.id) ? STATE_STYLE.active : STATE_STYLE.inactive;
  }

  private classOf(node: GraphNode): string {
    return this.active.has(node.id) ? `state ${node.type} active` : `state ${node.type}`;
  }

  private node(id: string): GraphNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`machine graph ${this.graph.id} has no state ${id}`);
    return node;
  }

  private line(depth: number, text: string): void {
    this.lines.push(`${'  '.repeat(depth)}${text}`);
  }
}

/** Whether a state is drawn as a cluster: compound and parallel states but the root, which is the canvas. */
function isCluster(node: GraphNode): boolean {
  return node.parent !== null && (node.type === 'compound' || node.type === 'parallel');
}

function clusterId(node: GraphNode): string {
  return `cluster_${node.id}`;
}

function anchorId(node: GraphNode): string {
  return `${node.id}/anchor`;
}

function initialId(node: GraphNode): string {
  return `${node.id}/initial`;
}

/** An HTML-like label, written between <> instead of quotes. */
type HtmlLabel = { readonly html: string };
type AttrValue = string | number | boolean | HtmlLabel;

function htmlLabel(text: string): HtmlLabel {
  return { html: text };
}

/** `key=value` pairs in the given order, leaving out undefined values. */
function attrs(values: Readonly<Record<string, AttrValue | undefined>>): string {
  return Object.entries(values)
    .flatMap(([key, value]) => (value === undefined ? [] : [[key, value] as const]))
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(', ');
}

function formatValue(value: AttrValue): string {
  if (typeof value === 'object') return `<${value.html}>`;
  return typeof value === 'string' ? quote(value) : String(value);
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
