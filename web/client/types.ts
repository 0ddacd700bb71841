// The API's views (API.md) as the pages read them.

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export interface List<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface Plan {
  readonly id: string;
  readonly name: string;
  readonly pricingModel: 'flat' | 'per-license';
  readonly billingTerm: 'P1M' | 'P1Y';
  readonly price: Money;
  readonly minQuantity: number | null;
  readonly maxQuantity: number | null;
}

export interface App {
  readonly id: string;
  readonly publisherId: string;
  readonly name: string;
  readonly plans: Plan[];
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly region: string | null;
  readonly agreementAcceptedAt: string | null;
}

export interface Subscription {
  readonly id: string;
  readonly tenantId: string;
  readonly appId: string;
  readonly planId: string;
  readonly publisherId: string;
  readonly purchaseId: string;
  readonly channel: string;
  readonly pricingModel: 'flat' | 'per-license';
  readonly quantity: number | null;
  readonly assignedLicenses: number;
  readonly billingProfileId: string | null;
  readonly status: 'pendingActivation' | 'active' | 'deactivated';
  readonly billingStatus: 'current' | 'pastDue' | null;
  readonly deactivationReason: 'canceled' | 'expired' | 'nonpayment' | null;
  readonly autoRenew: boolean;
  readonly termStart: string | null;
  readonly termEnd: string | null;
  readonly activatedAt: string | null;
  readonly deactivatedAt: string | null;
  readonly version: number;
  readonly allowedEvents: string[];
  readonly handoff?: { url: string; token: string; expiresAt: string | null };
}

export interface Purchase {
  readonly id: string;
  readonly channel: 'direct' | 'partner' | 'proposal';
  readonly source: string | null;
  readonly tenantId: string;
  readonly partnerId: string | null;
  readonly lines: { appId: string; planId: string; quantity: number | null }[];
  readonly state: 'awaitingAgreement' | 'placed' | 'declined' | 'expired';
  readonly subscriptionIds: string[];
  readonly expiresAt: string | null;
  readonly allowedEvents: string[];
  readonly createdAt: string;
}

export type PaymentMethod =
  | { readonly type: 'credit-card'; readonly brand: string; readonly last4: string; readonly expMonth: number; readonly expYear: number }
  | { readonly type: 'check-wire' };

export interface BillingProfile {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly paymentMethod: PaymentMethod;
  readonly contact: { name: string; address: string; email: string };
  readonly createdAt: string;
}

export interface Invoice {
  readonly id: string;
  readonly billingProfileId: string;
  readonly subscriptionId: string;
  readonly lines: { description: string; quantity: number; amount: Money; periodStart: string; periodEnd: string }[];
  readonly total: Money;
  readonly status: 'open' | 'overdue' | 'paid' | 'void';
  readonly issuedAt: string;
  readonly dueAt: string;
  readonly paidAt: string | null;
}

export interface JournalEntry {
  readonly seq: number;
  readonly at: string;
  readonly principalId: string;
  readonly event: { type: string } & Record<string, unknown>;
  readonly from: unknown;
  readonly to: unknown;
}

export interface MachineSummary {
  readonly name: string;
  readonly states: string[];
  readonly events: string[];
}

export interface InstanceSummary {
  readonly id: string;
  readonly machine: string;
  readonly version: number;
  readonly status: string;
  readonly value: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface InstanceDetail extends InstanceSummary {
  readonly context: Record<string, unknown>;
}
