import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, test } from 'vitest';
import { dropSchema, openDatabase } from '../../storage/database.js';
import type { Database } from '../../storage/database.js';
import { clientsFor } from '../helpers/clients.js';
import { BACKENDS, TEST_POSTGRES_URL } from '../helpers/databases.js';
import type { Backend } from '../helpers/databases.js';
import { createProfile } from '../helpers/flows.js';
import { directBody } from '../helpers/scenarios.js';
import { ROOT, spawnService } from '../helpers/spawned-service.js';
import { createWorld } from '../helpers/world.js';

const OPERATOR_TOKEN = 'op_shutdown_test_token_0123456789';
const BURST = 10;

/** A database the child process reaches by URL, and that the test can open afterwards. */
async function databasePlace(backend: Backend): Promise<{ url: string; open(): Promise<Database>; destroy(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shutdown-test-'));
    const url = `sqlite:${path.join(dir, 'service.db')}`;
    return { url, open: () => openDatabase(url, { migrate: false }), destroy: () => rm(dir, { recursive: true, force: true }) };
  }
  // A schema of its own, named in the URL (libpq's `options`), as an operator could.
  const schema = `shutdown_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`create schema "${schema}"`);
  await client.end();
  const url = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return { url, open: () => openDatabase(TEST_POSTGRES_URL, { schema, migrate: false }), destroy: () => dropSchema(TEST_POSTGRES_URL, schema) };
}

/** A POST whose headers and first bytes are sent now, and the rest when `finish()` is called. */
function slowPost(url: string, token: string, body: string, requestId: string) {
  const req = request(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  return { answer, finish: () => req.end(body.slice(10)) };
}

/** A GET on a connection of its own (no agent, no keep-alive): its status, or the connection's error. */
function freshGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
}, 300_000);

for (const backend of BACKENDS) {
  describe(`${backend}: SIGTERM`, () => {
    test('stops accepting, finishes the requests under way, stops cleanly with exit 0, and leaves nothing half-written', { timeout: 180_000 }, async () => {
      const place = await databasePlace(backend);
      try {
        const service = await spawnService({
          PORT: '0',
          HOST: '127.0.0.1',
          DATABASE_URL: place.url,
          CLOCK: 'manual',
          CLOCK_START: '2026-01-01T00:00:00.000Z',
          SEED: 'none',
          OPERATOR_TOKEN,
          RATE_LIMIT: '0',
          LOG_LEVEL: 'debug',
        });
        const host = clientsFor(service.base, OPERATOR_TOKEN);
        const world = await createWorld(host);
        // A tenant admin whose token the raw requests below can carry, owning the profile they buy with.
        const admin = (await host.operator.post('/api/operator/principals', { kind: 'user', name: 'Shutdown admin', tenantId: world.tenant.id, roles: ['global-admin'] }).expect(201)).body;
        const profile = await createProfile(world, { type: 'check-wire' }, host.as(admin.token));
        const body = JSON.stringify(directBody(world, profile));
        const url = `${service.base}/api/purchases`;

        // Purchases under way when the signal comes: a burst, and one whose body is still arriving.
        const burst = Array.from({ length: BURST }, (_, i) =>
          fetch(url, { method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', 'x-request-id': `burst-${i}` }, body }),
        );
        const slow = slowPost(url, admin.token, body, 'slow-1');
        const started = (id: string) => (line: string) => line.includes('"request started"') && line.includes(`"requestId":"${id}"`);
        await service.waitForLine('the slow request started', started('slow-1'));
        for (let i = 0; i < BURST; i++) await service.waitForLine(`burst request ${i} started`, started(`burst-${i}`));

        service.child.kill('SIGTERM');
        await service.waitForLine('that it is draining', (line) => line.includes('"msg":"draining"'));
        // No longer accepting: a new connection is refused. (fetch could reuse a kept-alive
        // connection of the burst, which the server closes once idle, not at once.)
        await expect(freshGet(`${service.base}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
        // ...but the request under way is still heard out and answered.
        slow.finish();
        const answered = await slow.answer;
        expect(answered.status).toBe(201);
        const statuses = await Promise.all(burst.map(async (r) => (await r).status));
        expect(statuses).toEqual(Array(BURST).fill(201));
        expect(await service.exited).toEqual({ code: 0, signal: null });
        expect(service.logs().at(-1)).toMatchObject({ msg: 'stopped' });

        const database = await place.open();
        try {
          // Every instance's journal runs 1..version: each unit was written whole or not at all.
          const { rows } = await sql<{ id: string; version: number; entries: number; last: number }>`
            select i.id, i.version, count(j.seq) as entries, max(j.seq) as last
            from instances i left join journal j on j.instance_id = i.id
            group by i.id, i.version`.execute(database.db);
          expect(rows.length).toBeGreaterThan(2 * (BURST + 1));
          for (const row of rows) expect([row.id, Number(row.entries), Number(row.last)]).toEqual([row.id, Number(row.version), Number(row.version)]);
          const purchase = JSON.parse(answered.body) as { id: string; subscriptionIds: string[] };
          const written = await database.db.selectFrom('instances').select('id').where('id', 'in', [purchase.id, ...purchase.subscriptionIds]).execute();
          expect(written).toHaveLength(1 + purchase.subscriptionIds.length);
        } finally {
          await database.close();
        }
      } finally {
        await place.destroy();
      }
    });
  });
}
