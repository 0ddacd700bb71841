import type { AdminContext } from './admin-context.js';
import { checkbox, field, h, replace, uid } from './dom.js';
import { date, planLabel } from './format.js';
import { actionForm, valueOf } from './forms.js';
import type { App, Plan, Purchase } from './types.js';

function planChoices(app: App | undefined, onChange: () => void): HTMLElement {
  if (!app) return h('p', {}, 'Choose an app first.');
  return h(
    'fieldset',
    {},
    h('legend', {}, 'Plan'),
    ...app.plans.map((plan, i) => {
      const id = uid('plan');
      const radio = h('input', { type: 'radio', name: 'planId', id, value: plan.id, checked: i === 0, required: true, onchange: onChange });
      return h('div', { class: 'check' }, radio, h('label', { for: id }, planLabel(plan)));
    }),
  );
}

function quantityField(plan: Plan | undefined): HTMLElement {
  if (!plan || plan.pricingModel === 'flat') return h('p', {}, 'Licenses: Unlimited — a flat plan covers everyone in your organisation.');
  const min = plan.minQuantity ?? 1;
  const max = plan.maxQuantity ?? 100_000;
  return field('Licenses', h('input', { type: 'number', name: 'quantity', min, max, step: 1, value: min, required: true, inputmode: 'numeric' }), `Between ${min} and ${max}.`);
}

/** Buying an app from the catalog through the direct channel. */
export async function buyPage(ctx: AdminContext): Promise<Node[]> {
  const apps = [...ctx.apps.values()];
  const heading = h('h1', { tabindex: '-1' }, 'Buy an app');
  if (apps.length === 0) return [heading, h('p', {}, 'The catalog is empty.')];
  if (ctx.profiles.length === 0) return [heading, h('p', {}, 'You need a billing profile to buy with; ask a billing admin to create one.')];

  const appSelect = h('select', { name: 'appId', required: true }, ...apps.map((a) => h('option', { value: a.id }, a.name)));
  const planSlot = h('div');
  const quantitySlot = h('div');
  const selectedApp = () => ctx.apps.get(appSelect.value);
  const selectedPlan = () => selectedApp()?.plans.find((p) => p.id === planSlot.querySelector<HTMLInputElement>('input[name="planId"]:checked')?.value);
  const showQuantity = () => replace(quantitySlot, quantityField(selectedPlan()));
  const showPlans = () => {
    replace(planSlot, planChoices(selectedApp(), showQuantity));
    showQuantity();
  };
  appSelect.addEventListener('change', showPlans);
  showPlans();

  const agreement = ctx.tenant.agreementAcceptedAt
    ? h('p', {}, `The customer agreement was accepted on ${date(ctx.tenant.agreementAcceptedAt)}.`)
    : checkbox(`I accept the customer agreement on behalf of ${ctx.tenant.name}`, { name: 'acceptAgreement', required: true }).row;

  const form = actionForm(
    'Buy an app',
    async (f) => {
      const plan = selectedPlan();
      const quantity = valueOf(f, 'quantity');
      const purchase = await ctx.api.post<Purchase>('/api/purchases', {
        channel: 'direct',
        source: valueOf(f, 'source'),
        appId: valueOf(f, 'appId'),
        planId: valueOf(f, 'planId'),
        quantity: plan?.pricingModel === 'per-license' ? Number(quantity) : null,
        billingProfileId: valueOf(f, 'billingProfileId'),
        acceptAgreement: ctx.tenant.agreementAcceptedAt ? undefined : f.querySelector<HTMLInputElement>('input[name="acceptAgreement"]')?.checked === true,
      });
      const [subscriptionId] = purchase.subscriptionIds;
      const name = selectedApp()?.name ?? 'The app';
      if (subscriptionId) ctx.go(`#/apps/${encodeURIComponent(subscriptionId)}`, `${name} bought. Open the publisher’s portal to set it up.`);
      else ctx.go('#/orders', `${name}: the purchase is ${purchase.state}.`);
    },
    field('App', appSelect),
    planSlot,
    quantitySlot,
    field('Billing profile', h('select', { name: 'billingProfileId', required: true }, ...ctx.profiles.map((p) => h('option', { value: p.id }, p.name)))),
    field(
      'Marketplace',
      h('select', { name: 'source', required: true }, h('option', { value: 'appsource' }, 'Microsoft AppSource'), h('option', { value: 'azure-marketplace' }, 'Azure Marketplace')),
    ),
    agreement,
    h('button', { type: 'submit' }, 'Buy'),
  );
  return [heading, h('div', { class: 'card' }, form)];
}
