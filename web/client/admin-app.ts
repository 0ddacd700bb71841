import type { AdminContext } from './admin-context.js';
import { appName, planOf, profileName } from './admin-context.js';
import { actionsFor } from './admin-app-actions.js';
import { invoicesTable } from './admin-invoices.js';
import { facts, h } from './dom.js';
import { dateTime, licenses, planLabel, stateValue, statusClass, statusText } from './format.js';
import type { Invoice, JournalEntry, List, Subscription } from './types.js';

/** One app (subscription): its facts, exactly the actions its state allows, its invoices and history. */
export async function appPage(ctx: AdminContext, id: string): Promise<Node[]> {
  const path = `/api/subscriptions/${encodeURIComponent(id)}`;
  const [s, invoices, history] = await Promise.all([
    ctx.api.get<Subscription>(path),
    ctx.api.get<List<Invoice>>(`${path}/invoices?limit=200`),
    ctx.api.get<List<JournalEntry>>(`${path}/history`),
  ]);
  const plan = planOf(ctx, s.appId, s.planId);
  const name = appName(ctx, s.appId);
  return [
    h('p', {}, h('a', { href: '#/apps' }, '← Your apps')),
    h('h1', { tabindex: '-1' }, name),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'facts-heading' },
      h('h2', { id: 'facts-heading' }, 'Subscription'),
      facts([
        ['Status', h('span', { class: statusClass(s), 'data-status': s.status }, statusText(s))],
        ['Plan', plan ? planLabel(plan) : s.planId],
        ['Licenses', h('span', { 'data-licenses': '' }, licenses(s))],
        ['Billing profile', profileName(ctx, s.billingProfileId)],
        ['Current term', s.termStart ? `${dateTime(s.termStart)} to ${dateTime(s.termEnd)}` : 'Starts at activation'],
        ['Auto-renew', s.autoRenew ? 'On' : 'Off'],
        ['Bought through', s.channel],
        ['Subscription id', h('code', {}, s.id)],
      ]),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'actions-heading' }, h('h2', { id: 'actions-heading' }, 'What you can do'), ...actionsFor(ctx, s, name, plan)),
    h('section', { 'aria-labelledby': 'invoices-heading' }, h('h2', { id: 'invoices-heading' }, 'Invoices'), invoicesTable(ctx, `Invoices of ${name}`, invoices.items)),
    h(
      'section',
      { 'aria-labelledby': 'history-heading' },
      h('h2', { id: 'history-heading' }, 'History'),
      h(
        'ol',
        { class: 'timeline' },
        ...history.items.map((e) =>
          h('li', {}, h('span', { class: 'event' }, e.event.type === 'xstate.init' ? 'bought' : e.event.type), ' ', h('span', { class: 'muted' }, `${dateTime(e.at)} — now ${stateValue(e.to)}`)),
        ),
      ),
    ),
  ];
}
