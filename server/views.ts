import type { PublisherRow, TenantRow } from '../storage/database.js';

/** The tenant view of API.md. */
export function tenantView(row: TenantRow) {
  return { id: row.id, name: row.name, country: row.country, region: row.region, agreementAcceptedAt: row.agreement_accepted_at };
}

/** A publisher without its webhook secret. */
export function publisherView(row: PublisherRow) {
  return { id: row.id, name: row.name, landingPageUrl: row.landing_page_url, webhookUrl: row.webhook_url };
}
