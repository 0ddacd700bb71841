import { sql } from 'kysely';
import type { CreateTableBuilder, ForeignKeyConstraintBuilder, Kysely } from 'kysely';

// Portable between SQLite and PostgreSQL: text for ids, JSON and ISO times, integer for
// counts and amounts, bigint for millisecond times. Foreign keys are deferred to commit,
// so a transaction may write a child row before its parent (group commit writes in
// event order, not table order).

/** Creates every table of the first release. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('agreement_accepted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('publishers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('landing_page_url', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('principals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('publisher_id', 'text')
    .addColumn('partner_id', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .$call(references('principals', 'tenant_id', 'tenants'))
    .$call(references('principals', 'publisher_id', 'publishers'))
    .$call(references('principals', 'partner_id', 'partners'))
    .execute();

  await db.schema
    .createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('publisher_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .$call(references('apps', 'publisher_id', 'publishers'))
    .execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pricing_model', 'text', (c) => c.notNull())
    .addColumn('billing_term', 'text', (c) => c.notNull())
    .addColumn('price_amount', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('min_quantity', 'integer')
    .addColumn('max_quantity', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull())
    .$call(references('plans', 'app_id', 'apps'))
    .execute();
  await db.schema.createIndex('plans_app_idx').on('plans').columns(['app_id', 'position']).execute();

  await db.schema
    .createTable('billing_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payment_method', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .$call(references('billing_profiles', 'tenant_id', 'tenants'))
    .execute();
  await db.schema.createIndex('billing_profiles_tenant_idx').on('billing_profiles').column('tenant_id').execute();

  // user_id has no foreign key: it names a user principal, and the route that sets roles
  // checks that the user belongs to the profile's tenant.
  await db.schema
    .createTable('billing_roles')
    .addColumn('billing_profile_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_roles_pk', ['billing_profile_id', 'user_id'])
    .$call(references('billing_roles', 'billing_profile_id', 'billing_profiles'))
    .execute();

  await db.schema
    .createTable('instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('machine', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('publisher_id', 'text')
    .addColumn('partner_id', 'text')
    .addColumn('app_id', 'text')
    .addColumn('billing_profile_id', 'text')
    .addColumn('parent_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // The owner columns are an index of the snapshot's context, written by the engine on
    // every event; the machines and the API's checks keep them right. Foreign keys to the
    // domain tables would tie the engine to those tables and cost a lookup per column on
    // the hot write path, so only the link between instances is enforced.
    .$call(references('instances', 'parent_id', 'instances'))
    .execute();
  // Listing pages filter by machine and owner and page by (created_at, id).
  for (const owner of ['tenant', 'publisher', 'partner', 'billing_profile']) {
    await db.schema
      .createIndex(`instances_machine_${owner}_idx`)
      .on('instances')
      .columns(['machine', `${owner}_id`, 'created_at', 'id'])
      .execute();
  }
  await db.schema.createIndex('instances_parent_idx').on('instances').column('parent_id').execute();

  await db.schema
    .createTable('journal')
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    // Two writers of the same instance both try seq n + 1; the key lets only one commit.
    .addPrimaryKeyConstraint('journal_pk', ['instance_id', 'seq'])
    .$call(references('journal', 'instance_id', 'instances'))
    .execute();

  await db.schema
    .createTable('timers')
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('timer_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('due_ms', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until_ms', 'bigint')
    .addColumn('fired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('timers_pk', ['instance_id', 'timer_id'])
    .$call(references('timers', 'instance_id', 'instances'))
    .execute();
  // The scheduler reads only pending timers; fired ones stay for audit but out of the index.
  await db.schema.createIndex('timers_pending_idx').on('timers').column('due_ms').where(sql.ref('fired_at'), 'is', null).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('webhook', 'charge')`))
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .$call(references('outbox', 'instance_id', 'instances'))
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_ms']).execute();

  await db.schema
    .createTable('handoff_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('activation_id', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .$call(references('handoff_tokens', 'activation_id', 'instances'))
    .$call(references('handoff_tokens', 'subscription_id', 'instances'))
    .execute();

  // principal_id has no foreign key, like journal's: `system` and other built-in callers
  // are not rows of principals.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal_id', 'key'])
    .execute();

  await db.schema
    .createTable('clock')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('now_ms', 'bigint', (c) => c.notNull())
    .execute();
}

/** Drops every table, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'clock', 'idempotency_keys', 'handoff_tokens', 'outbox', 'timers', 'journal', 'instances', 'billing_roles',
    'billing_profiles', 'plans', 'apps', 'principals', 'partners', 'publishers', 'tenants',
  ];
  for (const table of tables) await db.schema.dropTable(table).execute();
}

// A named, deferred foreign key from `table.column` to `target.id`.
function references(table: string, column: string, target: string) {
  return <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
    builder.addForeignKeyConstraint(`${table}_${column}_fk`, [column as C], target, ['id'], deferred);
}

function deferred(constraint: ForeignKeyConstraintBuilder): ForeignKeyConstraintBuilder {
  return constraint.deferrable().initiallyDeferred();
}
