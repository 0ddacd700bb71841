import type { Api } from './api.js';
import { facts, field, h } from './dom.js';
import { licenses, planLabel, statusClass, statusText } from './format.js';
import { actionButton, actionForm, valueOf } from './forms.js';
import type { App, Subscription } from './types.js';

/** User ids typed one per line (commas and spaces also separate them). */
export function parseUserIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter((s) => s.length > 0))];
}

/** One subscription as its publisher sees it: activate it, assign and unassign licenses. */
export async function subscriptionPanel(api: Api, id: string, apps: ReadonlyMap<string, App>, done: (message: string) => void): Promise<HTMLElement> {
  const path = `/api/subscriptions/${encodeURIComponent(id)}`;
  const s = await api.get<Subscription>(path);
  const app = apps.get(s.appId);
  const plan = app?.plans.find((p) => p.id === s.planId);
  const name = app?.name ?? s.appId;
  const allowed = new Set(s.allowedEvents);
  const send = (event: Record<string, unknown>) => api.post<Subscription>(`${path}/events`, event);

  const activate = allowed.has('ACTIVATE')
    ? [
        h('h3', {}, 'Activate'),
        h('p', { class: 'hint' }, 'Set the app up for this customer, then activate it: the customer can use it and billing starts.'),
        actionButton('Activate subscription', async () => {
          await send({ type: 'ACTIVATE' });
          done(`${name} is active for tenant ${s.tenantId}.`);
        }),
      ]
    : [];

  let licenseSection: HTMLElement[] = [];
  if (allowed.has('ASSIGN_LICENSES')) {
    const assigned = (await api.get<{ quantity: number | null; assigned: string[] }>(`${path}/licenses`)).assigned;
    const assign = actionForm(
      'Assign licenses',
      async (form) => {
        const userIds = parseUserIds(valueOf(form, 'userIds'));
        if (userIds.length === 0) throw new Error('type at least one user id');
        await send({ type: 'ASSIGN_LICENSES', userIds });
        done(`${userIds.length} license${userIds.length === 1 ? '' : 's'} assigned.`);
      },
      field('Users to assign', h('textarea', { name: 'userIds', rows: 3, required: true, autocomplete: 'off', spellcheck: 'false' }), 'One user id per line, as your app knows them (e.g. email addresses).'),
      h('button', { type: 'submit' }, 'Assign'),
    );
    const list = assigned.length === 0
      ? h('p', {}, 'No license is assigned yet.')
      : h(
          'ul',
          { class: 'plain', 'aria-label': 'Assigned users' },
          ...assigned.map((user) =>
            h(
              'li',
              {},
              h('span', {}, user),
              actionButton(`Unassign ${user}`, async () => {
                await send({ type: 'UNASSIGN_LICENSES', userIds: [user] });
                done(`${user} unassigned.`);
              }, { class: 'secondary' }),
            ),
          ),
        );
    licenseSection = [h('h3', {}, `Licenses — ${licenses(s)}`), list, assign];
  }

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'subscription-heading', 'data-subscription': s.id },
    h('h2', { id: 'subscription-heading', tabindex: '-1' }, `${name} for tenant ${s.tenantId}`),
    facts([
      ['Status', h('span', { class: statusClass(s), 'data-status': s.status }, statusText(s))],
      ['Plan', plan ? planLabel(plan) : s.planId],
      ['Licenses', licenses(s)],
      ['Subscription id', h('code', {}, s.id)],
    ]),
    ...activate,
    ...licenseSection,
    !activate.length && !licenseSection.length && h('p', {}, s.status === 'deactivated' ? 'This subscription has ended.' : 'Nothing to do here now.'),
  );
}
