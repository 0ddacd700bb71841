import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.js';
import * as outboxClaims from './0002_outbox_claims.js';

/** Every migration by name; Kysely runs them in name order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initial,
  '0002_outbox_claims': outboxClaims,
});

/**
 * Hands the list above to Kysely's Migrator. Static imports rather than
 * FileMigrationProvider: no directory scan to go wrong between vitest (.ts) and dist/ (.js).
 */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
