import type { AdminContext } from './admin-context.js';
import { appName, planOf, profileName } from './admin-context.js';
import { h, table } from './dom.js';
import { licenses, statusClass, statusText } from './format.js';
import type { List, Subscription } from './types.js';

/** The apps list: every subscription of the tenant with its plan, status, licenses and billing profile. */
export async function appsPage(ctx: AdminContext): Promise<Node[]> {
  const subscriptions = await ctx.api.get<List<Subscription>>('/api/subscriptions?limit=200');
  const heading = h('h1', { tabindex: '-1' }, 'Your apps');
  if (subscriptions.items.length === 0) {
    return [heading, h('p', {}, 'You have no apps yet. ', h('a', { href: '#/buy' }, 'Buy one from the catalog'), '.')];
  }
  const rows = subscriptions.items.map((s) => [
    h('a', { href: `#/apps/${encodeURIComponent(s.id)}` }, appName(ctx, s.appId)),
    planOf(ctx, s.appId, s.planId)?.name ?? s.planId,
    h('span', { class: statusClass(s) }, statusText(s)),
    licenses(s),
    profileName(ctx, s.billingProfileId),
  ]);
  return [heading, table('Apps of your organisation', ['App', 'Plan', 'Status', 'Licenses', 'Billing profile'], rows)];
}
