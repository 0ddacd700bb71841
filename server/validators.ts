import { z } from 'zod';
import { BILLING_TERMS, DEFAULT_MAX_QUANTITY, DEFAULT_MIN_QUANTITY, PRICING_MODELS, SOURCES } from '../machines/index.js';
import { PRINCIPAL_KINDS, TENANT_ROLES } from '../engine/principal.js';

// Request schemas. The same objects validate requests and generate /api/openapi.json,
// so the contract and the checks cannot drift.

const name = z.string().trim().min(1).max(200);
const id = z.string().min(1).max(100);
const isoTime = z.iso.datetime({ offset: true });

export const money = z.strictObject({
  amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
});

export const tenantCreate = z.strictObject({
  name,
  country: z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US').transform((c) => c.toUpperCase()),
});

const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const publisherCreate = z.strictObject({
  name,
  landingPageUrl: httpUrl,
  webhookUrl: httpUrl.nullish(),
});

export const partnerCreate = z.strictObject({ name });

export const principalCreate = z
  .strictObject({
    kind: z.enum(PRINCIPAL_KINDS),
    name,
    tenantId: id.nullish(),
    roles: z.array(z.enum(TENANT_ROLES)).max(2).optional(),
    publisherId: id.nullish(),
    partnerId: id.nullish(),
  })
  .superRefine((p, ctx) => {
    const need = (field: 'tenantId' | 'publisherId' | 'partnerId', kind: string) => {
      if (!p[field]) ctx.addIssue({ code: 'custom', path: [field], message: `required for kind ${kind}` });
    };
    if (p.kind === 'user') need('tenantId', 'user');
    if (p.kind === 'publisher') need('publisherId', 'publisher');
    if (p.kind === 'partner') need('partnerId', 'partner');
    if (p.kind !== 'user' && p.roles && p.roles.length > 0) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'only users have roles' });
  });

const quantity = z.number().int().min(1).max(1_000_000);

export const planCreate = z
  .strictObject({
    name,
    pricingModel: z.enum(PRICING_MODELS),
    billingTerm: z.enum(BILLING_TERMS),
    price: money,
    minQuantity: quantity.optional(),
    maxQuantity: quantity.optional(),
  })
  .superRefine((plan, ctx) => {
    if (plan.pricingModel === 'flat' && (plan.minQuantity !== undefined || plan.maxQuantity !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['minQuantity'], message: 'flat plans have no quantity' });
    }
    if ((plan.minQuantity ?? DEFAULT_MIN_QUANTITY) > (plan.maxQuantity ?? DEFAULT_MAX_QUANTITY)) {
      ctx.addIssue({ code: 'custom', path: ['maxQuantity'], message: 'must not be below minQuantity' });
    }
  });

export const appCreate = z.strictObject({
  name,
  publisherId: id.optional(),
  plans: z.array(planCreate).min(1).max(20),
});

export const agreementAccept = z.strictObject({ accept: z.literal(true) });

export const paymentMethodInput = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('credit-card'),
    number: z
      .string()
      .transform((n) => n.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^\d{12,19}$/, '12 to 19 digits')),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
  }),
  z.strictObject({ type: z.literal('check-wire') }),
]);

export const contact = z.strictObject({
  name,
  address: z.string().trim().min(1).max(1000),
  email: z.email().max(320),
});

export const billingProfileCreate = z.strictObject({ name, paymentMethod: paymentMethodInput, contact });
export const billingProfilePatch = z
  .strictObject({ name: name.optional(), paymentMethod: paymentMethodInput.optional(), contact: contact.optional() })
  .refine((p) => Object.keys(p).length > 0, { message: 'name, contact or paymentMethod' });

export const BILLING_ROLES = ['owner', 'contributor', 'reader', 'invoice-manager'] as const;
export type BillingRole = (typeof BILLING_ROLES)[number];
export const rolesPut = z.strictObject({ roles: z.array(z.enum(BILLING_ROLES)).max(4) });

const purchaseQuantity = z.number().int().nullish();

export const purchaseCreate = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('direct'),
    source: z.enum(SOURCES),
    appId: id,
    planId: id,
    quantity: purchaseQuantity,
    billingProfileId: id,
    acceptAgreement: z.boolean().optional(),
    replaces: id.nullish(),
  }),
  z.strictObject({ channel: z.literal('partner'), tenantId: id, appId: id, planId: id, quantity: purchaseQuantity }),
  z.strictObject({
    channel: z.literal('proposal'),
    tenantId: id,
    lines: z.array(z.strictObject({ appId: id, planId: id, quantity: purchaseQuantity })).min(1).max(50),
    expiresAt: isoTime,
  }),
]);

export const purchaseEvent = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ACCEPT'),
    billingProfileId: id,
    acceptAgreement: z.boolean().optional().describe('Accepting the order accepts the customer agreement if the tenant has not yet; false declines it (422 agreement_required).'),
  }),
  z.strictObject({ type: z.literal('DECLINE') }),
]);

const userIds = z.array(z.string().min(1).max(200)).min(1).max(1000);

export const subscriptionEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('OPEN_PUBLISHER_PORTAL') }),
  z.strictObject({ type: z.literal('ACTIVATE') }),
  z.strictObject({ type: z.literal('ASSIGN_LICENSES'), userIds }),
  z.strictObject({ type: z.literal('UNASSIGN_LICENSES'), userIds }),
  z.strictObject({ type: z.literal('CHANGE_QUANTITY'), quantity: z.number().int() }),
  z.strictObject({ type: z.literal('CHANGE_BILLING_PROFILE'), billingProfileId: id }),
  z.strictObject({ type: z.literal('SET_AUTO_RENEW'), autoRenew: z.boolean() }),
  z.strictObject({ type: z.literal('CANCEL'), reason: z.string().max(500).optional() }),
]);

export const resolveToken = z.strictObject({ token: z.string().min(1).max(500) });
export const paymentRecord = z.strictObject({ amount: money, reference: z.string().trim().min(1).max(200) });
export const clockAdvance = z.union([z.strictObject({ ms: z.number().int().min(0) }), z.strictObject({ to: isoTime })]);

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
