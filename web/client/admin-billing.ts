import type { AdminContext } from './admin-context.js';
import { invoicesTable } from './admin-invoices.js';
import { facts, h } from './dom.js';
import { paymentMethod } from './format.js';
import type { BillingProfile, Invoice, List } from './types.js';

interface RoleRow {
  readonly userId: string;
  readonly roles: string[];
}

function contact(profile: BillingProfile): HTMLElement {
  return h('div', {}, profile.contact.name, ...profile.contact.address.split('\n').map((line) => [h('br'), line]).flat(), h('br'), profile.contact.email);
}

function profileFacts(profile: BillingProfile, roles: readonly RoleRow[]): HTMLElement {
  return facts([
    ['Payment method', paymentMethod(profile.paymentMethod)],
    ['Bill to', contact(profile)],
    ['Roles', roles.length === 0 ? 'None' : h('ul', { class: 'plain' }, ...roles.map((r) => h('li', {}, h('code', {}, r.userId), r.roles.join(', '))))],
  ]);
}

async function rolesOf(ctx: AdminContext, id: string): Promise<RoleRow[]> {
  return (await ctx.api.get<{ items: RoleRow[] }>(`/api/billing-profiles/${encodeURIComponent(id)}/roles`)).items;
}

/** Every billing profile the admin can see, with payment method, contact and roles. */
export async function billingPage(ctx: AdminContext): Promise<Node[]> {
  const heading = h('h1', { tabindex: '-1' }, 'Billing profiles');
  if (ctx.profiles.length === 0) return [heading, h('p', {}, 'There are no billing profiles you can see.')];
  const roles = await Promise.all(ctx.profiles.map((p) => rolesOf(ctx, p.id)));
  return [
    heading,
    h(
      'div',
      { class: 'grid' },
      ...ctx.profiles.map((profile, i) =>
        h(
          'article',
          { class: 'card', 'aria-label': profile.name },
          h('h2', {}, profile.name),
          profileFacts(profile, roles[i] ?? []),
          h('p', {}, h('a', { href: `#/billing/${encodeURIComponent(profile.id)}` }, `Invoices of ${profile.name}`)),
        ),
      ),
    ),
  ];
}

/** One billing profile and its invoices, each payable when open or overdue. */
export async function profilePage(ctx: AdminContext, id: string): Promise<Node[]> {
  const path = `/api/billing-profiles/${encodeURIComponent(id)}`;
  const [profile, roles, invoices] = await Promise.all([ctx.api.get<BillingProfile>(path), rolesOf(ctx, id), ctx.api.get<List<Invoice>>(`${path}/invoices?limit=200`)]);
  const unpaid = invoices.items.filter((i) => i.status === 'open' || i.status === 'overdue').length;
  return [
    h('p', {}, h('a', { href: '#/billing' }, '← Billing profiles')),
    h('h1', { tabindex: '-1' }, profile.name),
    h('section', { class: 'card', 'aria-label': 'Profile' }, profileFacts(profile, roles)),
    h('h2', {}, 'Invoices'),
    h('p', {}, unpaid === 0 ? 'Everything is paid.' : `${unpaid} invoice${unpaid === 1 ? '' : 's'} to pay.`),
    invoicesTable(ctx, `Invoices of ${profile.name}`, invoices.items),
  ];
}
