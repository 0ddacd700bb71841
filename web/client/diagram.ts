import type { Api } from './api.js';
import { query } from './api.js';
import { h, replace } from './dom.js';

/**
 * Inline a diagram from `GET /api/machines/:name/diagram.svg` into `container`. The
 * server gives each state's element its XState id as `id`; a page may show the same
 * machine twice, so ids move to `data-id` to stay unique in the document.
 */
export function inlineSvg(container: Element, svgText: string, label: string): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = parsed.documentElement;
  if (!(svg instanceof SVGSVGElement)) throw new Error('the diagram is not an SVG document');
  for (const element of [svg, ...svg.querySelectorAll('[id]')]) {
    element.setAttribute('data-id', element.id);
    element.removeAttribute('id');
  }
  // Graphviz writes a <title> per node; the figure's label names the whole picture.
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const imported = document.importNode(svg, true);
  replace(container, imported);
  return imported;
}

/** The XState ids of the states highlighted in an inlined diagram. */
export function activeStates(container: Element): string[] {
  return [...container.querySelectorAll('.state.active')].map((e) => e.getAttribute('data-id') ?? '');
}

/** Fetch and inline a machine's diagram, an instance's active states highlighted when given. */
export async function loadDiagram(api: Api, container: Element, machine: string, instanceId?: string): Promise<void> {
  const svg = await api.text(`/api/machines/${encodeURIComponent(machine)}/diagram.svg${query({ instance: instanceId })}`);
  const label = instanceId ? `The ${machine} machine, with the states of ${instanceId} highlighted` : `The ${machine} machine`;
  inlineSvg(container, svg, label);
  const active = activeStates(container).filter((id) => id.includes('.'));
  container.setAttribute('data-active', active.join(' '));
}

/** A figure for a diagram, filled by `loadDiagram`. */
export function diagramFigure(caption: string, hint?: string, large = false): { figure: HTMLElement; slot: HTMLElement } {
  const slot = h('div', { class: 'svg-slot' }, h('p', { class: 'muted' }, 'Drawing…'));
  const figcaption = h('figcaption', {}, caption, hint && h('p', { class: 'hint' }, hint));
  return { figure: h('figure', { class: large ? 'diagram large' : 'diagram' }, figcaption, slot), slot };
}
