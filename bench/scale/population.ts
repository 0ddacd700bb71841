import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { hashToken } from '../../engine/secrets.js';
import type { Placeholder } from '../../storage/bulk-clone.js';
import { bulkLoad } from '../../storage/bulk-clone.js';
import { openDatabase } from '../../storage/database.js';
import { listOutbox } from '../../storage/outbox.repository.js';
import { findPrincipal } from '../../storage/parties.repository.js';
import { activationIdOf, invoiceIdOf } from '../../machines/index.js';
import { HttpClient } from './http-client.js';
import { startService } from './service-process.js';
import type { TemplateSubscription } from './template.js';
import { createTemplate } from './template.js';

/** The manual clock's time when the template is made; every clone carries it. */
export const CLOCK_START = '2026-01-15T10:00:00.000Z';

type NumberedPlaceholder = Extract<Placeholder, { per: unknown }>;

// Tenants of a window take turns (see Dealing in storage/bulk-clone.ts).
const TENANTS_TAKING_TURNS = 100;

/** A database of active subscriptions spread over tenants, and how to address them. */
export interface Population {
  readonly file: string;
  /** Subscriptions in the database: the template and its clones. */
  readonly subscriptions: number;
  /** Tenants the clones are dealt to (the template's own tenant aside). */
  readonly tenants: number;
  /** Subscriptions of a full tenant; tenant 0 is full. */
  readonly perTenant: number;
  /** Wall time of the whole build (template through the service, then the clones), in s. */
  readonly buildSeconds: number;
  /** Of which the clones, in s. */
  readonly cloneSeconds: number;
  readonly template: TemplateSubscription;
  /** The id of clone `n` (0 ≤ n < subscriptions − 1). */
  subscriptionId(n: number): string;
  /** The tenant (0 ≤ t < tenants) that clone `n` belongs to. */
  tenantOf(n: number): number;
  /** The id of tenant `t`. */
  tenantId(t: number): string;
  /** The billing profile of tenant `t`. */
  billingProfileId(t: number): string;
  /** The bearer token of tenant `t`'s admin. */
  adminToken(t: number): string;
  /** A text of the template (a view, say) as clone `n` should show it: every id and token hash its own. */
  asClone(n: number, text: string): string;
}

/**
 * Builds `subscriptions` active subscriptions in a new SQLite file: one through the
 * service over HTTP (the template), then `subscriptions − 1` clones written in bulk with
 * every id, token hash and owner replaced, `perTenant` to a tenant; each tenant gets a copy
 * of the template's tenant, admin (with a token of its own), billing profile and role.
 */
export async function buildPopulation(dir: string, name: string, subscriptions: number, perTenant: number): Promise<Population> {
  if (subscriptions <= perTenant) throw new Error(`${subscriptions} subscriptions cannot fill a tenant of ${perTenant}`);
  const file = path.join(dir, name);
  const start = performance.now();
  const service = await startService(file, CLOCK_START);
  const client = new HttpClient(service.base, 1);
  let template: TemplateSubscription;
  try {
    template = await createTemplate(client);
  } finally {
    client.close();
    await service.stop();
  }

  const copies = subscriptions - 1;
  const window = Math.max(1, Math.min(TENANTS_TAKING_TURNS, Math.floor(copies / perTenant)));
  const round = window * perTenant;
  const tenants = window * Math.floor(copies / round) + Math.min(window, copies % round);
  // Clone ids keep the template's time part, so they sort after it and before anything
  // the service creates later; `zz` where a real id has its per-millisecond counter keeps
  // them apart from every real id of that millisecond.
  const body = (id: string) => id.slice(id.indexOf('_') + 1);
  const stem = `${body(template.subscriptionId).slice(0, 10)}zz`;
  const digits = 26 - stem.length;
  const number = (n: number) => `${stem}${String(n).padStart(digits, '0')}`;
  const secret = randomBytes(9).toString('base64url');
  const adminToken = (t: number) => `user_scale_${secret}_${t}`;

  const tenantOf = (n: number) => (n % window) + window * Math.floor(n / round);

  const cloneStart = performance.now();
  const subscriptionRows = [template.purchaseId, template.subscriptionId, activationIdOf(template.subscriptionId), invoiceIdOf(template.subscriptionId, 1)];
  const { outbox, adminHash } = await templateExtras(file, template, subscriptionRows);
  const owner = (prefix: string, id: string, per: 'copy' | 'group'): NumberedPlaceholder => ({ text: id, prefix: `${prefix}_${stem}`, digits, per });
  const perSubscription: NumberedPlaceholder[] = [
    { text: body(template.subscriptionId), prefix: stem, digits, per: 'copy' },
    { text: body(template.purchaseId), prefix: stem, digits, per: 'copy' },
    ...outbox.map((id) => ({ text: body(id), prefix: stem, digits, per: 'copy' as const })),
    { text: template.handoffTokenHash, prefix: '', digits: 64, per: 'copy' },
    owner('ten', template.tenantId, 'group'),
    owner('prn', template.adminId, 'group'),
    owner('bpr', template.billingProfileId, 'group'),
  ];
  await bulkLoad(file, async (loader) => {
    await loader.cloneRows({
      copies: tenants,
      templates: [
        { table: 'tenants', column: 'id', keys: [template.tenantId] },
        { table: 'principals', column: 'id', keys: [template.adminId] },
        { table: 'billing_profiles', column: 'id', keys: [template.billingProfileId] },
        { table: 'billing_roles', column: 'billing_profile_id', keys: [template.billingProfileId] },
      ],
      placeholders: [
        owner('ten', template.tenantId, 'copy'),
        owner('prn', template.adminId, 'copy'),
        owner('bpr', template.billingProfileId, 'copy'),
        { text: adminHash, values: Array.from({ length: tenants }, (_, t) => hashToken(adminToken(t))) },
      ],
    });
    await loader.cloneRows({
      copies,
      dealing: { window, perGroup: perTenant },
      templates: [
        { table: 'instances', column: 'id', keys: subscriptionRows },
        { table: 'journal', column: 'instance_id', keys: subscriptionRows },
        { table: 'timers', column: 'instance_id', keys: subscriptionRows },
        { table: 'outbox', column: 'instance_id', keys: subscriptionRows },
        { table: 'handoff_tokens', column: 'subscription_id', keys: [template.subscriptionId] },
      ],
      placeholders: perSubscription,
    });
  });
  const end = performance.now();
  return {
    file,
    subscriptions,
    tenants,
    buildSeconds: (end - start) / 1000,
    cloneSeconds: (end - cloneStart) / 1000,
    template,
    subscriptionId: (n) => `sub_${number(n)}`,
    perTenant,
    tenantOf,
    tenantId: (t) => `ten_${number(t)}`,
    billingProfileId: (t) => `bpr_${number(t)}`,
    adminToken,
    asClone: (n, text) =>
      perSubscription.reduce((result, p) => result.replaceAll(p.text, `${p.prefix}${String(p.per === 'group' ? tenantOf(n) : n).padStart(p.digits, '0')}`), text),
  };
}

/**
 * What the HTTP answers did not show: the ids of the template's outbox rows (each clone
 * needs its own) and its admin's token hash (each tenant's admin gets one of its own).
 */
async function templateExtras(file: string, template: TemplateSubscription, instanceIds: readonly string[]): Promise<{ outbox: string[]; adminHash: string }> {
  const database = await openDatabase(`sqlite:${file}`);
  try {
    const outbox = (await listOutbox(database.db, { limit: 100 })).filter((row) => instanceIds.includes(row.instance_id));
    const pending = outbox.find((row) => row.status !== 'delivered');
    if (pending) throw new Error(`the template's outbox row ${pending.id} is ${pending.status}: its clones would all be due`);
    const admin = await findPrincipal(database.db, template.adminId);
    if (!admin) throw new Error(`the template's admin ${template.adminId} is missing`);
    return { outbox: outbox.map((row) => row.id), adminHash: admin.token_hash };
  } finally {
    await database.close();
  }
}
