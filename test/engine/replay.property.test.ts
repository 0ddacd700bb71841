import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { recordOf } from '../../engine/sql-store.js';
import { replay } from '../../engine/replay.js';
import { activationIdOf, invoiceIdOf } from '../../machines/index.js';
import type { MachineName } from '../../machines/index.js';
import { journalOf } from '../../storage/instances.repository.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';
import { DAY, buySubscription, manualRuntime } from '../helpers/engine-fixture.js';

type Step =
  | { kind: 'event'; event: { type: string } & Record<string, unknown> }
  | { kind: 'resolve' }
  | { kind: 'pay'; n: number }
  | { kind: 'advance'; days: number };

const user = fc.constantFrom('ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'event', event: { type: 'OPEN_PUBLISHER_PORTAL', tokenHash: 'h' } }),
  fc.constant<Step>({ kind: 'resolve' }),
  fc.constant<Step>({ kind: 'event', event: { type: 'ACTIVATE' } }),
  fc.array(user, { minLength: 1, maxLength: 4 }).map<Step>((userIds) => ({ kind: 'event', event: { type: 'ASSIGN_LICENSES', userIds } })),
  fc.array(user, { minLength: 1, maxLength: 3 }).map<Step>((userIds) => ({ kind: 'event', event: { type: 'UNASSIGN_LICENSES', userIds } })),
  fc.integer({ min: 0, max: 60 }).map<Step>((quantity) => ({ kind: 'event', event: { type: 'CHANGE_QUANTITY', quantity } })),
  fc.boolean().map<Step>((autoRenew) => ({ kind: 'event', event: { type: 'SET_AUTO_RENEW', autoRenew } })),
  fc.constant<Step>({ kind: 'event', event: { type: 'CANCEL' } }),
  fc.integer({ min: 1, max: 4 }).map<Step>((n) => ({ kind: 'pay', n })),
  fc.integer({ min: 1, max: 45 }).map<Step>((days) => ({ kind: 'advance', days })),
);

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: journal replay`, () => {
    test('for random histories, every instance replayed from its journal equals its stored snapshot', async ({ database }) => {
      const runtime = await manualRuntime(database);
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
          const id = await buySubscription(runtime, { quantity: 5 });
          for (const s of steps) {
            const attempt =
              s.kind === 'event'
                ? runtime.engine.send(id, s.event, { principalId: 'p' })
                : s.kind === 'resolve'
                  ? runtime.engine.send(activationIdOf(id), { type: 'RESOLVE', tokenHash: 'h' }, { principalId: 'p' })
                  : s.kind === 'pay'
                    ? runtime.engine.send(invoiceIdOf(id, s.n), { type: 'PAYMENT_SUCCEEDED', reference: `r${s.n}` }, { principalId: 'p' })
                    : runtime.advance(runtime.clock.now() + s.days * DAY);
            // Refusals are part of random histories; they must simply write nothing.
            await attempt.catch(() => undefined);
          }
          const ids = [id, activationIdOf(id), ...Array.from({ length: 8 }, (_, n) => invoiceIdOf(id, n + 1))];
          const rows = await database.db.selectFrom('instances').selectAll().where('id', 'in', ids).execute();
          for (const row of rows) {
            const record = recordOf(row);
            const journal = (await journalOf(database.db, row.id)).map((j) => ({ seq: j.seq, event: JSON.parse(j.event) }));
            expect(journal).toHaveLength(record.version);
            expect(replay(record.machine as MachineName, journal)).toEqual(record.persisted);
          }
        }),
        { numRuns: backend === 'sqlite' ? 40 : 12 },
      );
    }, 120_000);
  });
}
