import type { GraphEdge, GraphNode } from './machine-graph.js';

// Graphviz HTML-like label fragments for states and transitions. Widths are in
// characters: Graphviz sizes boxes from estimated font metrics, so a long action list is
// wrapped here rather than left to make one very wide box.

const WRAP_AT = 38;
const GUARD_COLOR = '#1d4ed8';
const ACTION_COLOR = '#4b5563';
const INDENT = '&#160;&#160;&#160;';

/** Escapes text for a Graphviz HTML-like label. */
export function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The trigger of a transition as a person reads it: the event type, `always` or `after <delay>`. */
export function triggerText(edge: GraphEdge): string {
  if (edge.event === null) return 'always';
  const after = `xstate.after.`;
  const suffix = `.${edge.source}`;
  if (edge.event.startsWith(after) && edge.event.endsWith(suffix)) {
    const delay = edge.event.slice(after.length, -suffix.length);
    return /^\d+$/.test(delay) ? `after ${delay}ms` : `after ${delay}`;
  }
  return edge.event;
}

/** The guard as shown in brackets; an unguarded candidate after guarded ones reads `else`. */
export function guardText(edge: GraphEdge): string | null {
  if (edge.guard !== null) return edge.guard;
  return edge.order > 0 ? 'else' : null;
}

/**
 * `EVENT [guard] / actions` as HTML lines (joined with `<BR ALIGN="LEFT"/>` by the
 * caller), the action list wrapped onto indented continuation lines.
 */
export function transitionLines(edge: GraphEdge): string[] {
  const guard = guardText(edge);
  const head =
    `<B>${html(triggerText(edge))}</B>` +
    (guard === null ? '' : ` <FONT COLOR="${GUARD_COLOR}">[${html(guard)}]</FONT>`) +
    (edge.reenter ? ' (reenter)' : '');
  if (edge.actions.length === 0) return [head];
  return [head, ...wrap(edge.actions).map((line, i) => `<FONT COLOR="${ACTION_COLOR}">${i === 0 ? '/ ' : INDENT}${html(line)}</FONT>`)];
}

/** A state's entry and exit actions as `entry / …` and `exit / …` HTML lines. */
export function entryExitLines(node: GraphNode): string[] {
  const lines: string[] = [];
  for (const [label, actions] of [
    ['entry', node.entry],
    ['exit', node.exit],
  ] as const) {
    if (actions.length === 0) continue;
    wrap(actions).forEach((line, i) => {
      lines.push(`<FONT COLOR="${ACTION_COLOR}">${i === 0 ? `${label} / ` : INDENT}${html(line)}</FONT>`);
    });
  }
  return lines;
}

function wrap(items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line !== '' && line.length + 1 + piece.length > WRAP_AT) {
      lines.push(line);
      line = piece;
    } else {
      line = line === '' ? piece : `${line} ${piece}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
