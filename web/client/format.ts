import type { Money, PaymentMethod, Plan, Subscription } from './types.js';

/** Money in minor units, as the person's locale writes it. */
export function money(value: Money): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: value.currency }).format(value.amount / 100);
}

/** A date and time, in UTC like the API, without seconds. */
export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A date, in UTC. */
export function date(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}

const TERMS: Readonly<Record<Plan['billingTerm'], string>> = { P1M: 'month', P1Y: 'year' };

/** "Team — $12.00 per license a month". */
export function planLabel(plan: Plan): string {
  const per = plan.pricingModel === 'per-license' ? ' per license' : '';
  return `${plan.name} — ${money(plan.price)}${per} a ${TERMS[plan.billingTerm]}`;
}

/** A subscription's licenses: *Unlimited* for flat plans, else the quantity and how many are assigned. */
export function licenses(s: Pick<Subscription, 'pricingModel' | 'quantity' | 'assignedLicenses'>): string {
  if (s.pricingModel === 'flat' || s.quantity === null) return 'Unlimited';
  return `${s.quantity} (${s.assignedLicenses} assigned)`;
}

/** A subscription's status in words. */
export function statusText(s: Pick<Subscription, 'status' | 'billingStatus' | 'deactivationReason'>): string {
  switch (s.status) {
    case 'pendingActivation':
      return 'Pending activation';
    case 'active':
      return s.billingStatus === 'pastDue' ? 'Active — payment past due' : 'Active';
    default:
      return `Deactivated (${s.deactivationReason ?? 'ended'})`;
  }
}

/** The badge class of a status. */
export function statusClass(s: Pick<Subscription, 'status' | 'billingStatus'>): string {
  if (s.status === 'pendingActivation') return 'badge pending';
  if (s.status === 'deactivated') return 'badge ended';
  return s.billingStatus === 'pastDue' ? 'badge warn' : 'badge active';
}

/** A payment method in words, never more than the last four digits. */
export function paymentMethod(method: PaymentMethod): string {
  if (method.type === 'check-wire') return 'Check or wire transfer';
  const brand = method.brand.charAt(0).toUpperCase() + method.brand.slice(1);
  return `${brand} ending ${method.last4}, expires ${String(method.expMonth).padStart(2, '0')}/${method.expYear}`;
}

/** A machine state value as dotted paths: `{ active: { billing: 'current' } }` → `active.billing.current`. */
export function stateValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return leafPaths(value, '').join(', ');
}

function leafPaths(value: unknown, prefix: string): string[] {
  if (typeof value !== 'object' || value === null) return [`${prefix}${String(value)}`];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [prefix.slice(0, -1)];
  return entries.flatMap(([key, child]) => leafPaths(child, `${prefix}${key}.`));
}
