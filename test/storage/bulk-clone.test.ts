import { describe, expect } from 'vitest';
import { sql } from 'kysely';
import type { InstanceRecord } from '../../engine/instance.js';
import { activationIdOf, invoiceIdOf } from '../../machines/index.js';
import { bulkLoad } from '../../storage/bulk-clone.js';
import type { Placeholder } from '../../storage/bulk-clone.js';
import { journalOf } from '../../storage/instances.repository.js';
import { listOutbox } from '../../storage/outbox.repository.js';
import { databaseTest } from '../helpers/databases.js';
import { activate, buySubscription, manualRuntime } from '../helpers/engine-fixture.js';

// Bulk loading is written for SQLite only.
const test = databaseTest('sqlite');

const body = (id: string) => id.slice(id.indexOf('_') + 1);
const numbered = (prefix: string, n: number) => `${prefix}${String(n).padStart(4, '0')}`;

describe('sqlite: bulk clone', () => {
  test('clones of an engine-made subscription read, replay and take events like it', async ({ sandbox }) => {
    const database = await sandbox.open();
    const runtime = await manualRuntime(database);
    const subscriptionId = await buySubscription(runtime, { tenantId: 'ten_template' });
    await activate(runtime, subscriptionId);
    await runtime.stop();
    const template = (await runtime.engine.get(subscriptionId))!;
    const purchaseId = String(template.persisted.context.purchaseId);
    const instanceIds = [purchaseId, subscriptionId, activationIdOf(subscriptionId), invoiceIdOf(subscriptionId, 1)];
    const outboxIds = (await listOutbox(database.db, { limit: 100 })).map((row) => row.id);
    await database.close();

    const placeholders: Placeholder[] = [
      { text: body(subscriptionId), prefix: 'clone', digits: 4, per: 'copy' },
      { text: body(purchaseId), prefix: 'clone', digits: 4, per: 'copy' },
      ...outboxIds.map((id): Placeholder => ({ text: body(id), prefix: 'clone', digits: 4, per: 'copy' })),
      { text: 'ten_template', prefix: 'ten_', digits: 4, per: 'group' },
    ];
    await bulkLoad(sandbox.file!, (loader) =>
      loader.cloneRows({
        copies: 7,
        // Copies 0–5 alternate between tenants 0 and 1; copy 6 opens the next window (tenant 2).
        dealing: { window: 2, perGroup: 3 },
        templates: (['instances', 'journal', 'timers', 'outbox'] as const).map((table) => ({ table, column: table === 'instances' ? 'id' : 'instance_id', keys: instanceIds })),
        placeholders,
      }),
    );

    const reopened = await sandbox.open();
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(reopened.db)).rows[0]?.journal_mode).toBe('wal');
    expect((await sql`pragma foreign_key_check`.execute(reopened.db)).rows).toEqual([]);
    const tenants = await reopened.db.selectFrom('instances').select(['id', 'tenant_id']).where('machine', '=', 'subscription').where('id', 'like', 'sub_clone%').orderBy('id').execute();
    expect(tenants.map((row) => row.tenant_id)).toEqual([0, 1, 0, 1, 0, 1, 2].map((t) => numbered('ten_', t)));

    const clone = numbered('sub_clone', 3);
    const asClone = (text: string) => text.replaceAll(body(subscriptionId), numbered('clone', 3)).replaceAll(body(purchaseId), numbered('clone', 3)).replaceAll('ten_template', numbered('ten_', 1));
    const withoutIds = (rows: { instance_id: string }[]) => rows.map(({ instance_id: _, ...rest }) => rest);
    expect(withoutIds(await journalOf(reopened.db, clone))).toEqual(JSON.parse(asClone(JSON.stringify(withoutIds(await journalOf(reopened.db, subscriptionId))))));

    const again = await manualRuntime(reopened);
    const record = (await again.engine.get(clone))!;
    const expected = JSON.parse(asClone(JSON.stringify(template))) as InstanceRecord;
    expect(record).toEqual(expected);
    const changed = await again.engine.send(clone, { type: 'CHANGE_QUANTITY', quantity: 4 }, { principalId: 'usr_admin' });
    expect(changed.primary.version).toBe(template.version + 1);
    expect(changed.primary.persisted.context.quantity).toBe(4);
    await again.stop();
  });

  test('a placeholder may bring each copy its own value', async ({ sandbox }) => {
    const database = await sandbox.open();
    const now = '2026-01-01T00:00:00.000Z';
    await database.db.insertInto('tenants').values({ id: 'ten_t', name: 'T', country: 'US', region: null, agreement_accepted_at: null, created_at: now }).execute();
    await database.db
      .insertInto('principals')
      .values({ id: 'prn_t', kind: 'user', name: 'Admin', tenant_id: 'ten_t', roles: '[]', publisher_id: null, partner_id: null, token_hash: 'hash_t', created_at: now })
      .execute();
    await database.close();

    await bulkLoad(sandbox.file!, (loader) =>
      loader.cloneRows({
        copies: 3,
        templates: [
          { table: 'tenants', column: 'id', keys: ['ten_t'] },
          { table: 'principals', column: 'id', keys: ['prn_t'] },
        ],
        placeholders: [
          { text: 'ten_t', prefix: 'ten_', digits: 2, per: 'copy' },
          { text: 'prn_t', prefix: 'prn_', digits: 2, per: 'copy' },
          { text: 'hash_t', values: ['first', 'second', 'third'] },
        ],
      }),
    );

    const reopened = await sandbox.open();
    const rows = await reopened.db.selectFrom('principals').select(['id', 'tenant_id', 'token_hash']).where('id', '!=', 'prn_t').orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'prn_00', tenant_id: 'ten_00', token_hash: 'first' },
      { id: 'prn_01', tenant_id: 'ten_01', token_hash: 'second' },
      { id: 'prn_02', tenant_id: 'ten_02', token_hash: 'third' },
    ]);
  });
});
