import type { Api } from './api.js';
import { diagramFigure, loadDiagram } from './diagram.js';
import { facts, h, replace } from './dom.js';
import { dateTime, stateValue } from './format.js';
import { problemContent } from './problems.js';
import type { TokenStore } from './session.js';
import type { InstanceDetail, JournalEntry } from './types.js';

// One instance, live. Its journal comes over server-sent events: first every entry so
// far, then each new one as the service commits it; on a new one the diagram (with the
// new active states) and the context are read again. Nothing reloads the page.

let generation = 0;
let source: EventSource | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Close the live stream of the instance shown, if any. */
export function stopInstance(): void {
  generation += 1;
  source?.close();
  source = undefined;
  clearTimeout(refreshTimer);
}

function entryItem(entry: JournalEntry): HTMLElement {
  const { type, ...payload } = entry.event;
  const extra = Object.keys(payload).length > 0 ? JSON.stringify(payload) : '';
  // A creation carries the whole input: fold long payloads away.
  const shown = extra.length > 120 ? h('details', {}, h('summary', {}, 'Event data'), h('pre', {}, JSON.stringify(payload, null, 2))) : extra && h('code', {}, extra);
  return h(
    'li',
    { 'data-seq': entry.seq },
    h('div', {}, h('span', { class: 'event' }, `#${entry.seq} ${type === 'xstate.init' ? 'created' : type}`), ' ', h('span', { class: 'muted' }, `${dateTime(entry.at)} by ${entry.principalId}`)),
    h('div', { class: 'move' }, `${entry.from === null ? '∅' : stateValue(entry.from)} → ${stateValue(entry.to)}`),
    shown && h('div', { class: 'muted' }, shown),
  );
}

/** Show instance `id` in `slot` and follow it live until `stopInstance`. */
export async function showInstance(api: Api, store: TokenStore, slot: HTMLElement, id: string): Promise<void> {
  stopInstance();
  const mine = generation;
  replace(slot, h('h2', { id: 'instance-heading' }, `Instance ${id}`), h('p', {}, 'Loading…'));
  let detail: InstanceDetail;
  try {
    detail = await api.get<InstanceDetail>(`/api/instances/${encodeURIComponent(id)}`);
  } catch (error) {
    replace(slot, h('h2', { id: 'instance-heading' }, `Instance ${id}`), h('div', { class: 'error', role: 'alert' }, problemContent(error)));
    return;
  }
  if (mine !== generation) return;

  const live = h('p', { class: 'live', role: 'status' }, 'Connecting…');
  const { figure, slot: svgSlot } = diagramFigure(`${detail.machine} — active states highlighted`, undefined, true);
  svgSlot.id = 'instance-diagram';
  const state = h('div');
  const context = h('pre', { class: 'json', tabindex: '0', 'aria-label': 'Context as JSON' });
  const journal = h('ol', { class: 'timeline', 'aria-label': 'Journal, oldest first' });
  replace(
    slot,
    h('h2', { id: 'instance-heading', tabindex: '-1' }, `Instance ${id}`),
    live,
    figure,
    h(
      'div',
      { class: 'instance' },
      h('div', {}, h('h3', {}, 'State'), state, h('h3', {}, 'Context'), context),
      h('div', {}, h('h3', {}, 'Journal'), journal),
    ),
  );

  const showDetail = (d: InstanceDetail) => {
    replace(state, facts([['Machine', d.machine], ['State', h('code', { 'data-state': stateValue(d.value) }, stateValue(d.value))], ['Version', String(d.version)], ['Updated', dateTime(d.updatedAt)]]));
    context.textContent = JSON.stringify(d.context, null, 2);
  };
  const refresh = async () => {
    const [latest] = await Promise.all([api.get<InstanceDetail>(`/api/instances/${encodeURIComponent(id)}`), loadDiagram(api, svgSlot, detail.machine, id)]);
    if (mine === generation) showDetail(latest);
  };
  showDetail(detail);
  await loadDiagram(api, svgSlot, detail.machine, id);

  let count = 0;
  const stream = new EventSource(`/api/instances/${encodeURIComponent(id)}/stream?token=${encodeURIComponent(store.get() ?? '')}`);
  source = stream;
  stream.addEventListener('open', () => (live.textContent = `Live — ${count} journal entries`));
  stream.addEventListener('error', () => (live.textContent = 'Connection lost — reconnecting…'));
  stream.addEventListener('message', (message) => {
    const entry = JSON.parse((message as MessageEvent<string>).data) as JournalEntry;
    count += 1;
    journal.append(entryItem(entry));
    live.textContent = `Live — ${count} journal entries`;
    // Entries up to the version already drawn are the backlog; later ones moved it.
    if (entry.seq <= detail.version) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh().catch(() => (live.textContent = 'Could not read the instance again; it will retry on the next event.')), 50);
  });
}
