import type { Insertable, Selectable, Updateable } from 'kysely';

// Columns are snake_case as stored; repositories map rows to camelCase domain types.
// JSON is stored as text and times as ISO-8601 text, identically on both backends;
// `*_ms` columns are bigint, read back as numbers (milliseconds stay below 2^53).

/** A durable machine instance: its persisted XState snapshot plus columns to query by. */
export interface InstanceTable {
  id: string;
  machine: string;
  /** Equals the instance's number of journal entries. */
  version: number;
  /** The persisted XState snapshot, as JSON. */
  snapshot: string;
  /** The top-level state name. */
  status: string;
  tenant_id: string | null;
  publisher_id: string | null;
  partner_id: string | null;
  app_id: string | null;
  billing_profile_id: string | null;
  /** The subscription of an invoice or activation; the purchase of a subscription. */
  parent_id: string | null;
  created_at: string;
  updated_at: string;
}

/** One accepted event of an instance; `seq` is gap-free from 1 (the creation). */
export interface JournalTable {
  instance_id: string;
  seq: number;
  /** The event object, as JSON. */
  event: string;
  /** `system` for timers. */
  principal_id: string;
  /** The state value before, as JSON; null for the creation. */
  from_state: string | null;
  /** The state value after, as JSON. */
  to_state: string;
  at: string;
}

/** A durable timer: an event due to its instance at `due_ms`, fired once. */
export interface TimerTable {
  instance_id: string;
  /** XState's id for the delayed event, e.g. `termEnd`. */
  timer_id: string;
  /** The event to send, as JSON. */
  event: string;
  due_ms: number;
  /** The process that has claimed the timer, until `claimed_until_ms`. */
  claimed_by: string | null;
  claimed_until_ms: number | null;
  fired_at: string | null;
  created_at: string;
}

/** An effect to run after commit: a webhook to a publisher or a charge to a card. */
export interface OutboxTable {
  id: string;
  kind: 'webhook' | 'charge';
  instance_id: string;
  /** What to deliver, as JSON. */
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_ms: number;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  /** PostgreSQL: the process attempting the row (see claimDueOutbox); always null on SQLite. */
  claimed_by: string | null;
  claimed_until_ms: number | null;
}

/** The stored response to a POST with an `Idempotency-Key`. */
export interface IdempotencyKeyTable {
  principal_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  /** The response body, as JSON. */
  response: string;
  created_at: string;
}

/** The manual clock's time; a single row with id 1. */
export interface ClockTable {
  id: number;
  now_ms: number;
}

/** An organisation that buys apps. */
export interface TenantTable {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The supported region's name, or null when the country is in none. */
  region: string | null;
  agreement_accepted_at: string | null;
  created_at: string;
}

/** A company that sells apps. */
export interface PublisherTable {
  id: string;
  name: string;
  landing_page_url: string;
  webhook_url: string | null;
  webhook_secret: string;
  created_at: string;
}

/** A reseller that buys for its customer tenants. */
export interface PartnerTable {
  id: string;
  name: string;
  created_at: string;
}

/** An API key holder: user, publisher, partner, sales or operator. */
export interface PrincipalTable {
  id: string;
  kind: string;
  name: string;
  tenant_id: string | null;
  /** A JSON array of role names. */
  roles: string;
  publisher_id: string | null;
  partner_id: string | null;
  /** Hash of the bearer token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
}

/** A publisher's app. */
export interface AppTable {
  id: string;
  publisher_id: string;
  name: string;
  created_at: string;
}

/** A plan of an app; `position` orders an app's plans. */
export interface PlanTable {
  id: string;
  app_id: string;
  name: string;
  pricing_model: string;
  billing_term: string;
  /** Integer minor units of `currency`. */
  price_amount: number;
  currency: string;
  min_quantity: number | null;
  max_quantity: number | null;
  position: number;
}

/** A tenant's billing profile. */
export interface BillingProfileTable {
  id: string;
  tenant_id: string;
  name: string;
  /** JSON; a card's brand, last 4 digits and expiry, never its number. */
  payment_method: string;
  /** JSON: bill-to name, address, email. */
  contact: string;
  created_at: string;
}

/** A user's roles on one billing profile. */
export interface BillingRoleTable {
  billing_profile_id: string;
  user_id: string;
  /** A JSON array of role names. */
  roles: string;
}

/** A single-use token handed to a publisher's portal by an activation. */
export interface HandoffTokenTable {
  /** Hash of the token; the token itself is never stored. */
  token_hash: string;
  activation_id: string;
  subscription_id: string;
  created_at: string;
}

/** Every table, by name, for `Kysely<Tables>`. */
export interface Tables {
  instances: InstanceTable;
  journal: JournalTable;
  timers: TimerTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeyTable;
  clock: ClockTable;
  tenants: TenantTable;
  publishers: PublisherTable;
  partners: PartnerTable;
  principals: PrincipalTable;
  apps: AppTable;
  plans: PlanTable;
  billing_profiles: BillingProfileTable;
  billing_roles: BillingRoleTable;
  handoff_tokens: HandoffTokenTable;
}

/** A row of `instances` as read. */
export type InstanceRow = Selectable<InstanceTable>;
/** A row of `instances` to insert. */
export type NewInstanceRow = Insertable<InstanceTable>;
/** Changes to a row of `instances`. */
export type InstanceRowUpdate = Updateable<InstanceTable>;
/** A row of `journal` as read. */
export type JournalRow = Selectable<JournalTable>;
/** A row of `journal` to insert. */
export type NewJournalRow = Insertable<JournalTable>;
/** A row of `timers` as read. */
export type TimerRow = Selectable<TimerTable>;
/** A row of `timers` to insert. */
export type NewTimerRow = Insertable<TimerTable>;
/** Changes to a row of `timers`. */
export type TimerRowUpdate = Updateable<TimerTable>;
/** A row of `outbox` as read. */
export type OutboxRow = Selectable<OutboxTable>;
/** A row of `outbox` to insert. */
export type NewOutboxRow = Insertable<OutboxTable>;
/** Changes to a row of `outbox`. */
export type OutboxRowUpdate = Updateable<OutboxTable>;
/** A row of `idempotency_keys` as read. */
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;
/** A row of `idempotency_keys` to insert. */
export type NewIdempotencyKeyRow = Insertable<IdempotencyKeyTable>;
/** The row of `clock` as read. */
export type ClockRow = Selectable<ClockTable>;
/** A row of `tenants` as read. */
export type TenantRow = Selectable<TenantTable>;
/** A row of `tenants` to insert. */
export type NewTenantRow = Insertable<TenantTable>;
/** Changes to a row of `tenants`. */
export type TenantRowUpdate = Updateable<TenantTable>;
/** A row of `publishers` as read. */
export type PublisherRow = Selectable<PublisherTable>;
/** A row of `publishers` to insert. */
export type NewPublisherRow = Insertable<PublisherTable>;
/** Changes to a row of `publishers`. */
export type PublisherRowUpdate = Updateable<PublisherTable>;
/** A row of `partners` as read. */
export type PartnerRow = Selectable<PartnerTable>;
/** A row of `partners` to insert. */
export type NewPartnerRow = Insertable<PartnerTable>;
/** A row of `principals` as read. */
export type PrincipalRow = Selectable<PrincipalTable>;
/** A row of `principals` to insert. */
export type NewPrincipalRow = Insertable<PrincipalTable>;
/** A row of `apps` as read. */
export type AppRow = Selectable<AppTable>;
/** A row of `apps` to insert. */
export type NewAppRow = Insertable<AppTable>;
/** A row of `plans` as read. */
export type PlanRow = Selectable<PlanTable>;
/** A row of `plans` to insert. */
export type NewPlanRow = Insertable<PlanTable>;
/** A row of `billing_profiles` as read. */
export type BillingProfileRow = Selectable<BillingProfileTable>;
/** A row of `billing_profiles` to insert. */
export type NewBillingProfileRow = Insertable<BillingProfileTable>;
/** Changes to a row of `billing_profiles`. */
export type BillingProfileRowUpdate = Updateable<BillingProfileTable>;
/** A row of `billing_roles` as read. */
export type BillingRoleRow = Selectable<BillingRoleTable>;
/** A row of `billing_roles` to insert. */
export type NewBillingRoleRow = Insertable<BillingRoleTable>;
/** A row of `handoff_tokens` as read. */
export type HandoffTokenRow = Selectable<HandoffTokenTable>;
/** A row of `handoff_tokens` to insert. */
export type NewHandoffTokenRow = Insertable<HandoffTokenTable>;
