import type { InvoiceContext, PurchaseContext, SubscriptionContext } from '../machines/index.js';
import type { InstanceRecord } from './instance.js';
import { statusOf } from './instance.js';

// Views are the API's shapes of machine-backed resources (API.md); a caller-specific
// `allowedEvents` is added by whoever knows the caller.

/** The subscription view of API.md, as of the record's version. */
export function subscriptionView(record: InstanceRecord) {
  const c = record.persisted.context as unknown as SubscriptionContext;
  const value = record.persisted.value;
  const status = statusOf(value);
  return {
    id: c.id,
    tenantId: c.tenantId,
    appId: c.appId,
    planId: c.planId,
    publisherId: c.publisherId,
    purchaseId: c.purchaseId,
    channel: c.channel,
    pricingModel: c.plan.pricingModel,
    quantity: c.quantity,
    assignedLicenses: c.assignedUserIds.length,
    billingProfileId: c.billingProfileId,
    status,
    billingStatus: status === 'active' ? billingStatusOf(value) : null,
    deactivationReason: c.deactivationReason,
    autoRenew: c.autoRenew,
    termStart: c.termStart,
    termEnd: c.termEnd,
    activatedAt: c.activatedAt,
    deactivatedAt: c.deactivatedAt,
    replaces: c.replaces,
    value,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function billingStatusOf(value: unknown): 'current' | 'pastDue' | null {
  const billing = (value as { active?: { billing?: unknown } }).active?.billing;
  return billing === 'current' || billing === 'pastDue' ? billing : null;
}

/** The purchase view of API.md. */
export function purchaseView(record: InstanceRecord) {
  const c = record.persisted.context as unknown as PurchaseContext;
  const state = statusOf(record.persisted.value);
  return {
    id: c.id,
    channel: c.channel,
    source: c.source,
    tenantId: c.tenantId,
    partnerId: c.partnerId,
    lines: c.lines.map((line) => ({ appId: line.appId, planId: line.planId, quantity: line.quantity })),
    state,
    billingProfileId: c.billingProfileId,
    subscriptionIds: state === 'placed' ? c.lines.map((line) => line.subscriptionId) : [],
    expiresAt: c.expiresAt,
    replaces: c.replaces,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** The invoice view of API.md. */
export function invoiceView(record: InstanceRecord) {
  const c = record.persisted.context as unknown as InvoiceContext;
  return {
    id: c.id,
    billingProfileId: c.billingProfileId,
    tenantId: c.tenantId,
    subscriptionId: c.subscriptionId,
    lines: c.lines,
    total: c.total,
    status: statusOf(record.persisted.value),
    issuedAt: c.issuedAt,
    dueAt: c.dueAt,
    paidAt: c.paidAt,
    version: record.version,
  };
}

/** Columns the database indexes an instance by, for lists and filters. */
export function indexColumnsOf(record: InstanceRecord) {
  const c = record.persisted.context as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const parentOf: Record<InstanceRecord['machine'], unknown> = {
    purchase: null,
    subscription: c.purchaseId,
    activation: c.subscriptionId,
    invoice: c.subscriptionId,
  };
  return {
    status: statusOf(record.persisted.value),
    tenantId: text(c.tenantId),
    publisherId: text(c.publisherId) ?? text((c.lines as { publisherId?: string }[] | undefined)?.[0]?.publisherId),
    partnerId: text(c.partnerId),
    appId: text(c.appId),
    billingProfileId: text(c.billingProfileId),
    parentId: text(parentOf[record.machine]),
  };
}
