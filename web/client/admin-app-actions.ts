import type { AdminContext } from './admin-context.js';
import { checkbox, field, h } from './dom.js';
import { actionButton, actionForm, valueOf } from './forms.js';
import { isStale } from './problems.js';
import type { Plan, Subscription } from './types.js';

/** Send an event to the subscription; when the page was stale, show it afresh with the refusal. */
async function send(ctx: AdminContext, s: Subscription, event: Record<string, unknown>): Promise<Subscription> {
  try {
    return await ctx.api.post<Subscription>(`/api/subscriptions/${encodeURIComponent(s.id)}/events`, event);
  } catch (error) {
    if (isStale(error)) ctx.reload(undefined, error);
    throw error;
  }
}

function quantityForm(ctx: AdminContext, s: Subscription, plan: Plan | undefined): HTMLElement {
  const min = Math.max(plan?.minQuantity ?? 1, 1);
  const max = plan?.maxQuantity ?? 100_000;
  const input = h('input', { type: 'number', name: 'quantity', min, max, step: 1, required: true, value: s.quantity ?? min, inputmode: 'numeric' });
  return actionForm(
    'Change license quantity',
    async (form) => {
      const quantity = Number(valueOf(form, 'quantity'));
      const changed = await send(ctx, s, { type: 'CHANGE_QUANTITY', quantity });
      ctx.reload(`License quantity changed to ${changed.quantity ?? quantity}.`);
    },
    h('h3', {}, 'License quantity'),
    h(
      'div',
      { class: 'row' },
      field('Licenses', input, `Between ${min} and ${max}, and not below the ${s.assignedLicenses} assigned. Added licenses are charged now for the rest of the term; removed ones are not refunded.`),
      h('button', { type: 'submit' }, 'Change quantity'),
    ),
  );
}

function profileForm(ctx: AdminContext, s: Subscription): HTMLElement {
  const options = ctx.profiles.map((p) => h('option', { value: p.id, selected: p.id === s.billingProfileId }, p.name));
  return actionForm(
    'Change billing profile',
    async (form) => {
      const billingProfileId = valueOf(form, 'billingProfileId');
      await send(ctx, s, { type: 'CHANGE_BILLING_PROFILE', billingProfileId });
      ctx.reload('Billing profile changed: later invoices go to it.');
    },
    h('h3', {}, 'Billing profile'),
    h('div', { class: 'row' }, field('Bill to', h('select', { name: 'billingProfileId', required: true }, ...options)), h('button', { type: 'submit' }, 'Change billing profile')),
  );
}

function cancelForm(ctx: AdminContext, s: Subscription, name: string): HTMLElement {
  const confirm = checkbox(`I understand that everyone loses access to ${name}`, { name: 'confirm', required: true });
  return actionForm(
    'Cancel subscription',
    async (form) => {
      const reason = valueOf(form, 'reason');
      await send(ctx, s, { type: 'CANCEL', ...(reason ? { reason } : {}) });
      ctx.reload(`${name} is canceled.`);
    },
    h('h3', {}, 'Cancel'),
    field('Reason (optional)', h('textarea', { name: 'reason', maxlength: 500, rows: 2 })),
    confirm.row,
    h('button', { type: 'submit', class: 'danger' }, 'Cancel subscription'),
  );
}

/** Exactly the actions the subscription's state allows this admin (its `allowedEvents`). */
export function actionsFor(ctx: AdminContext, s: Subscription, name: string, plan: Plan | undefined): HTMLElement[] {
  const allowed = new Set(s.allowedEvents);
  const actions: HTMLElement[] = [];
  if (allowed.has('OPEN_PUBLISHER_PORTAL')) {
    actions.push(
      h('h3', {}, 'Publisher’s portal'),
      h('p', { class: 'hint' }, s.status === 'pendingActivation' ? 'The publisher sets the app up and activates it in its own portal; you go there with a single-use link.' : 'Manage the app’s settings and users in the publisher’s own portal.'),
      actionButton('Manage in the publisher’s portal', async () => {
        const opened = await send(ctx, s, { type: 'OPEN_PUBLISHER_PORTAL' });
        if (!opened.handoff) throw new Error('the service gave no portal link');
        location.assign(opened.handoff.url);
      }),
    );
  }
  if (allowed.has('CHANGE_QUANTITY') && s.pricingModel === 'per-license') actions.push(quantityForm(ctx, s, plan));
  if (allowed.has('CHANGE_BILLING_PROFILE')) actions.push(profileForm(ctx, s));
  if (allowed.has('SET_AUTO_RENEW')) {
    actions.push(
      h('h3', {}, 'Renewal'),
      h('p', { class: 'hint' }, s.autoRenew ? 'Renews automatically at the end of each term.' : 'Ends at the end of the current term.'),
      actionButton(s.autoRenew ? 'Turn auto-renew off' : 'Turn auto-renew on', async () => {
        await send(ctx, s, { type: 'SET_AUTO_RENEW', autoRenew: !s.autoRenew });
        ctx.reload(s.autoRenew ? 'Auto-renew is off.' : 'Auto-renew is on.');
      }),
    );
  }
  if (allowed.has('CANCEL')) actions.push(cancelForm(ctx, s, name));
  if (actions.length === 0) actions.push(h('p', {}, s.status === 'deactivated' ? 'This subscription has ended; nothing can change it. To use the app again, buy it anew.' : 'There is nothing you can change now.'));
  return actions;
}
