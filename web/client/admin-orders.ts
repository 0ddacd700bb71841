import type { AdminContext } from './admin-context.js';
import { appName, planOf } from './admin-context.js';
import { checkbox, field, h, table } from './dom.js';
import { date, dateTime } from './format.js';
import { actionButton, actionForm, valueOf } from './forms.js';
import { isStale } from './problems.js';
import type { List, Purchase } from './types.js';

const STATE: Readonly<Record<Purchase['state'], string>> = { awaitingAgreement: 'Waiting for you', placed: 'Placed', declined: 'Declined', expired: 'Expired' };

function origin(p: Purchase): string {
  if (p.channel === 'partner') return `Order from partner ${p.partnerId ?? ''}`.trim();
  if (p.channel === 'proposal') return 'Proposal from the sales desk';
  return `Bought directly (${p.source ?? 'marketplace'})`;
}

function lineText(ctx: AdminContext, line: Purchase['lines'][number]): string {
  const plan = planOf(ctx, line.appId, line.planId);
  const licenses = line.quantity === null ? 'unlimited licenses' : `${line.quantity} licenses`;
  return `${appName(ctx, line.appId)} — ${plan?.name ?? line.planId}, ${licenses}`;
}

async function sendEvent(ctx: AdminContext, p: Purchase, event: Record<string, unknown>): Promise<Purchase> {
  try {
    return await ctx.api.post<Purchase>(`/api/purchases/${encodeURIComponent(p.id)}/events`, event);
  } catch (error) {
    if (isStale(error)) ctx.reload(undefined, error);
    throw error;
  }
}

function pendingCard(ctx: AdminContext, p: Purchase): HTMLElement {
  const title = origin(p);
  const needsAgreement = !ctx.tenant.agreementAcceptedAt;
  const accept = actionForm(
    `Accept: ${title}`,
    async (form) => {
      const placed = await sendEvent(ctx, p, { type: 'ACCEPT', billingProfileId: valueOf(form, 'billingProfileId'), ...(needsAgreement ? { acceptAgreement: true } : {}) });
      ctx.reload(`Accepted: ${placed.subscriptionIds.length} app${placed.subscriptionIds.length === 1 ? '' : 's'} added to your apps, waiting for activation.`);
    },
    field('Bill to', h('select', { name: 'billingProfileId', required: true }, ...ctx.profiles.map((bp) => h('option', { value: bp.id }, bp.name)))),
    needsAgreement && checkbox(`I accept the customer agreement on behalf of ${ctx.tenant.name}`, { name: 'acceptAgreement', required: true }).row,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Accept')),
  );
  const decline = actionButton('Decline', async () => {
    await sendEvent(ctx, p, { type: 'DECLINE' });
    ctx.reload(`${title}: declined.`);
  }, { class: 'secondary' });
  return h(
    'article',
    { class: 'card', 'aria-label': title },
    h('h3', {}, title),
    h('ul', {}, ...p.lines.map((line) => h('li', {}, lineText(ctx, line)))),
    p.expiresAt && h('p', {}, `Open until ${dateTime(p.expiresAt)}.`),
    p.allowedEvents.includes('ACCEPT') ? accept : null,
    p.allowedEvents.includes('DECLINE') ? decline : null,
  );
}

/** Partner orders and proposals waiting for this tenant, and every purchase so far. */
export async function ordersPage(ctx: AdminContext): Promise<Node[]> {
  const purchases = (await ctx.api.get<List<Purchase>>('/api/purchases?limit=200')).items;
  const pending = purchases.filter((p) => p.state === 'awaitingAgreement');
  const done = purchases.filter((p) => p.state !== 'awaitingAgreement');
  return [
    h('h1', { tabindex: '-1' }, 'Orders and proposals'),
    h('h2', {}, 'Waiting for you'),
    pending.length === 0 ? h('p', {}, 'Nothing is waiting: partner orders and sales proposals for your organisation appear here.') : h('div', { class: 'grid' }, ...pending.map((p) => pendingCard(ctx, p))),
    h('h2', {}, 'All purchases'),
    done.length === 0
      ? h('p', {}, 'None yet.')
      : table(
          'Purchases, oldest first',
          ['Date', 'From', 'Apps', 'State'],
          done.map((p) => [date(p.createdAt), origin(p), p.lines.map((l) => lineText(ctx, l)).join('; '), STATE[p.state]]),
        ),
  ];
}
