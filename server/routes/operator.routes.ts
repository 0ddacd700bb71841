import { DomainError } from '../../engine/errors.js';
import { newId } from '../../engine/ids.js';
import { hashToken, newToken } from '../../engine/secrets.js';
import { randomBytes } from 'node:crypto';
import { regionOf } from '../../machines/index.js';
import { findPartner, findPublisher, insertPartner, insertPrincipal, insertPublisher } from '../../storage/parties.repository.js';
import { findTenant, insertTenant } from '../../storage/tenants.repository.js';
import { listOutbox, requeue } from '../../storage/outbox.repository.js';
import type { RouteModule } from '../router.js';
import { invalidField, validate } from '../validate.js';
import { listQuery, partnerCreate, principalCreate, publisherCreate, tenantCreate } from '../validators.js';
import { z } from 'zod';
import { decodeCursor, page } from '../pagination.js';
import { tenantView, publisherView } from '../views.js';

/** Operator routes: tenants, publishers, partners, principals, and webhook deliveries. */
export const operatorRoutes: RouteModule = (routes, ctx) => {
  const now = () => new Date(ctx.runtime.clock.now()).toISOString();

  routes.define('POST /api/operator/tenants', async (req, res) => {
    const body = validate(tenantCreate, req.body);
    const row = { id: newId('ten'), name: body.name, country: body.country, region: regionOf(body.country), agreement_accepted_at: null, created_at: now() };
    await insertTenant(ctx.database.db, row);
    res.status(201).json(tenantView(row));
  });

  routes.define('POST /api/operator/publishers', async (req, res) => {
    const body = validate(publisherCreate, req.body);
    const row = {
      id: newId('pub'),
      name: body.name,
      landing_page_url: body.landingPageUrl,
      webhook_url: body.webhookUrl ?? null,
      webhook_secret: `whsec_${randomBytes(24).toString('base64url')}`,
      created_at: now(),
    };
    await insertPublisher(ctx.database.db, row);
    // The secret is shown here, once, like a token: the publisher verifies signatures with it.
    res.status(201).json({ ...publisherView(row), webhookSecret: row.webhook_secret });
  });

  routes.define('POST /api/operator/partners', async (req, res) => {
    const body = validate(partnerCreate, req.body);
    const row = { id: newId('ptn'), name: body.name, created_at: now() };
    await insertPartner(ctx.database.db, row);
    res.status(201).json({ id: row.id, name: row.name });
  });

  routes.define('POST /api/operator/principals', async (req, res) => {
    const body = validate(principalCreate, req.body);
    const db = ctx.database.db;
    if (body.kind === 'user' && !(await findTenant(db, body.tenantId!))) throw invalidField('tenantId', 'no such tenant');
    if (body.kind === 'publisher' && !(await findPublisher(db, body.publisherId!))) throw invalidField('publisherId', 'no such publisher');
    if (body.kind === 'partner' && !(await findPartner(db, body.partnerId!))) throw invalidField('partnerId', 'no such partner');
    const token = newToken(body.kind === 'operator' ? 'op' : body.kind);
    const principal = {
      id: newId('prn'),
      kind: body.kind,
      name: body.name,
      tenantId: body.kind === 'user' ? body.tenantId! : null,
      roles: body.kind === 'user' ? [...new Set(body.roles ?? [])] : [],
      publisherId: body.kind === 'publisher' ? body.publisherId! : null,
      partnerId: body.kind === 'partner' ? body.partnerId! : null,
    };
    await insertPrincipal(db, {
      id: principal.id,
      kind: principal.kind,
      name: principal.name,
      tenant_id: principal.tenantId,
      roles: JSON.stringify(principal.roles),
      publisher_id: principal.publisherId,
      partner_id: principal.partnerId,
      token_hash: hashToken(token),
      created_at: now(),
    });
    res.status(201).json({ ...principal, token });
  });

  const deliveriesQuery = listQuery.extend({ status: z.enum(['pending', 'delivered', 'failed']).optional() });

  routes.define('GET /api/operator/deliveries', async (req, res) => {
    const query = validate(deliveriesQuery, req.query, 'query');
    const [before] = decodeCursor(query.cursor, 1) ?? [];
    const rows = await listOutbox(ctx.database.db, { kind: 'webhook', status: query.status, before, limit: query.limit + 1 });
    res.json(
      page(
        rows,
        query.limit,
        (r) => ({ id: r.id, subscriptionId: r.instance_id, type: (JSON.parse(r.payload) as { type: string }).type, status: r.status, attempts: r.attempts, lastError: r.last_error, createdAt: r.created_at, deliveredAt: r.delivered_at }),
        (r) => [r.id],
      ),
    );
  });

  routes.define('POST /api/operator/deliveries/:id/redeliver', async (req, res) => {
    const id = String(req.params.id);
    if (!(await requeue(ctx.database.db, id, ctx.runtime.clock.now()))) {
      throw new DomainError('not_found', `There is no failed delivery ${id}. Only parked deliveries can be sent again.`);
    }
    // Accepted, not awaited: the receiver may still be down or slow, and its answer must
    // not hold this request (the delivery list shows the outcome).
    ctx.dispatcher.kick();
    res.status(202).json({ id, status: 'pending' });
  });
};
