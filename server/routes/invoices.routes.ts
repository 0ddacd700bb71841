import { cardOnFile, chargeInvoice } from '../../engine/charges.js';
import { DomainError, EventRefusedError, VersionConflictError } from '../../engine/errors.js';
import { snapshotOf } from '../../engine/instance.js';
import { invoiceView } from '../../engine/views.js';
import type { InvoiceContext } from '../../machines/index.js';
import { MACHINES, allowedEvents } from '../../machines/index.js';
import { findBillingProfile } from '../../storage/billing-profiles.repository.js';
import { callerOf } from '../authenticate.js';
import { expectedVersionOf, sendVersioned } from '../machine-views.js';
import type { RouteModule } from '../router.js';
import { forbidden } from '../router.js';
import { validate } from '../validate.js';
import { paymentRecord } from '../validators.js';
import { visibleInvoice } from '../visibility.js';

const PAYERS = ['owner', 'contributor', 'invoice-manager'];

/** Invoices: reading, paying by the card on file, and the operator's bank reconciliation. */
export const invoiceRoutes: RouteModule = (routes, ctx) => {
  const engine = ctx.runtime.engine;

  routes.define('GET /api/invoices/:id', async (req, res) => {
    const { record } = await visibleInvoice(ctx, callerOf(res), String(req.params.id));
    sendVersioned(res, 200, record, invoiceView(record));
  });

  routes.define('POST /api/invoices/:id/pay', async (req, res) => {
    const caller = callerOf(res);
    const { record, roles } = await visibleInvoice(ctx, caller, String(req.params.id));
    if (!roles.some((r) => PAYERS.includes(r))) throw forbidden('pay invoices of this billing profile (owner, contributor or invoice-manager only)');
    // If-Match makes paying conditional as it does an event; checked before the card is charged.
    const expectedVersion = expectedVersionOf(req.get('if-match'));
    if (expectedVersion !== undefined && expectedVersion !== record.version) throw new VersionConflictError(record.id, record.version);
    const entry = MACHINES.invoice;
    const snapshot = snapshotOf(record);
    if (!snapshot.can({ type: 'PAYMENT_SUCCEEDED', reference: '', at: new Date(ctx.runtime.clock.now()).toISOString() })) {
      throw new EventRefusedError('event_not_allowed', 'invoice', snapshot.value, allowedEvents(entry, snapshot, []), 'pay');
    }
    const invoice = record.persisted.context as unknown as InvoiceContext;
    const card = cardOnFile(await findBillingProfile(ctx.database.reader, invoice.billingProfileId), ctx.runtime.clock.now());
    if ('none' in card) throw new DomainError('payment_declined', `Nothing was charged: ${card.none}. Update the payment method, then pay again.`);
    const result = await chargeInvoice({ ...ctx, engine, clock: ctx.runtime.clock }, invoice, card, `${invoice.id}:pay:${record.version}`, caller.id);
    if (!result.ok) throw new DomainError('payment_declined', `The card ending ${card.last4} was declined. Use another card on the billing profile, then pay again.`);
    const paid = (await engine.get(record.id))!;
    sendVersioned(res, 200, paid, invoiceView(paid));
  });

  routes.define('POST /api/invoices/:id/payments', async (req, res) => {
    const body = validate(paymentRecord, req.body);
    const record = await engine.get(String(req.params.id));
    if (!record || record.machine !== 'invoice') throw new DomainError('not_found', `There is no invoice ${String(req.params.id)}.`);
    const { primary } = await engine.send(record.id, { type: 'RECORD_PAYMENT', amount: body.amount, reference: body.reference }, {
      principalId: callerOf(res).id,
      expectedVersion: expectedVersionOf(req.get('if-match')),
    });
    sendVersioned(res, 200, primary, invoiceView(primary));
  });
};
