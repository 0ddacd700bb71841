import { createApi } from './api.js';
import { diagramFigure, loadDiagram } from './diagram.js';
import { byId, h, replace } from './dom.js';
import { problemContent } from './problems.js';
import { showInstance, stopInstance } from './inspect-instance.js';
import { searchSection } from './inspect-search.js';
import { showSession, showSignIn, tokenStore } from './session.js';
import type { List, MachineSummary } from './types.js';

// The inspector: every machine as a diagram, instances found by id, tenant, machine or
// status, and a chosen instance live on its diagram. The chosen instance is in the URL
// (#instance=<id>) so that a view can be shared and survives a reload.

const store = tokenStore('inspect.token');
const api = createApi(() => store.get());

function chosenInstance(): string | undefined {
  const match = /^#instance=(.+)$/.exec(location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

async function render(): Promise<void> {
  stopInstance();
  const token = store.get();
  if (!token) {
    showSignIn(store, {
      heading: 'Sign in to the inspector',
      intro: 'Machine diagrams need any token; finding and following instances needs the operator’s token.',
      label: 'Token',
      hint: 'The operator token is printed once when the service starts.',
      check: async (candidate) => {
        await createApi(() => candidate).get('/api/machines');
      },
      onSignedIn: () => void render(),
    });
    return;
  }
  showSession(store, 'Signed in', () => void render());
  const machines = await api.get<List<MachineSummary>>('/api/machines');
  const instanceSlot = h('section', { 'aria-labelledby': 'instance-heading', id: 'instance' });
  const gallery = h('div', { class: 'gallery' });
  replace(
    byId('page'),
    h('h1', { tabindex: '-1' }, 'Machines and their instances'),
    searchSection(api, machines.items),
    instanceSlot,
    h('section', { 'aria-labelledby': 'machines-heading' }, h('h2', { id: 'machines-heading' }, 'Machines'), gallery),
  );
  for (const machine of machines.items) {
    const { figure, slot } = diagramFigure(machine.name, `${machine.states.length} states; events: ${machine.events.join(', ')}`);
    figure.setAttribute('data-machine', machine.name);
    gallery.append(figure);
    loadDiagram(api, slot, machine.name).catch((error: unknown) => replace(slot, h('div', { class: 'error', role: 'alert' }, problemContent(error))));
  }
  const id = chosenInstance();
  if (id) await showInstance(api, store, instanceSlot, id);
}

function start(): void {
  render().catch((error: unknown) => replace(byId('page'), h('h1', {}, 'Inspector'), h('div', { class: 'error', role: 'alert' }, problemContent(error))));
}

window.addEventListener('hashchange', () => {
  const slot = document.getElementById('instance');
  const id = chosenInstance();
  if (!slot || !store.get()) return start();
  stopInstance();
  if (id) void showInstance(api, store, slot, id);
  else slot.replaceChildren();
});
start();
