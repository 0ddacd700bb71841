import type { Api } from './api.js';
import { query } from './api.js';
import { dateTime, stateValue } from './format.js';
import { field, h, replace, table } from './dom.js';
import { actionForm, announce, valueOf } from './forms.js';
import type { InstanceSummary, List, MachineSummary } from './types.js';

/** The "find instances" form and its results; choosing one sets #instance=<id>. */
export function searchSection(api: Api, machines: readonly MachineSummary[]): HTMLElement {
  const results = h('div', { id: 'results' });
  const machineSelect = h('select', { name: 'machine' }, h('option', { value: '' }, 'Any machine'), ...machines.map((m) => h('option', { value: m.name }, m.name)));
  const statuses = [...new Set(machines.flatMap((m) => m.states.map((s) => s.split('.')[0] ?? s)))].sort();
  const statusList = h('datalist', { id: 'status-names' }, ...statuses.map((s) => h('option', { value: s })));
  const form = actionForm(
    'Find instances',
    async (f) => {
      const params = { id: valueOf(f, 'id'), tenantId: valueOf(f, 'tenantId'), machine: valueOf(f, 'machine'), status: valueOf(f, 'status'), limit: 50 };
      const found = await api.get<List<InstanceSummary>>(`/api/instances${query(params)}`);
      replace(results, resultsTable(found.items));
      announce(`${found.items.length} instance${found.items.length === 1 ? '' : 's'} found.`);
    },
    h(
      'div',
      { class: 'row' },
      field('Instance id', h('input', { type: 'text', name: 'id', autocomplete: 'off' })),
      field('Tenant id', h('input', { type: 'text', name: 'tenantId', autocomplete: 'off' })),
      field('Machine', machineSelect),
      field('Status', h('input', { type: 'text', name: 'status', list: 'status-names', autocomplete: 'off' }), 'The top-level state, e.g. active'),
      h('button', { type: 'submit' }, 'Find'),
    ),
    statusList,
  );
  return h('section', { 'aria-labelledby': 'find-heading', class: 'card' }, h('h2', { id: 'find-heading' }, 'Find instances'), form, results);
}

function resultsTable(items: readonly InstanceSummary[]): HTMLElement {
  if (items.length === 0) return h('p', {}, 'No instance matches. Leave fields empty to list the latest instances.');
  return table(
    'Instances, oldest first',
    ['Instance', 'Machine', 'State', 'Version', 'Updated'],
    items.map((i) => [h('a', { href: `#instance=${encodeURIComponent(i.id)}` }, i.id), i.machine, h('code', {}, stateValue(i.value)), String(i.version), dateTime(i.updatedAt)]),
  );
}
