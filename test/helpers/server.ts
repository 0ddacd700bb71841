import type supertest from 'supertest';
import { test } from 'vitest';
import { hashToken } from '../../engine/secrets.js';
import type { Database } from '../../storage/database.js';
import { insertPrincipal } from '../../storage/parties.repository.js';
import type { createService } from '../../server/service.js';
import type { ServiceOptions } from '../../server/service.js';
import type { Backend } from './databases.js';
import { createSandbox } from './databases.js';
import { T0 } from './engine-fixture.js';
import { OPERATOR_TOKEN } from './clients.js';
import { hostService } from './service-host.js';

export { OPERATOR_TOKEN } from './clients.js';

/** A running service on a fresh database, reached over real HTTP on 127.0.0.1. */
export interface TestServer {
  readonly url: string;
  readonly database: Database;
  readonly service: Awaited<ReturnType<typeof createService>>;
  /** A supertest agent for the server's URL. */
  http(): supertest.Agent;
  /** Requests with a bearer token. */
  as(token: string): AuthedClient;
  readonly operator: AuthedClient;
  /**
   * What went wrong inside the service so far: every response with status 500 and every
   * error it logged. `serverTest` fails a test whose server has any.
   */
  faults(): readonly string[];
}

type Body = string | object | undefined;
export interface AuthedClient {
  get(path: string): supertest.Test;
  post(path: string, body?: Body): supertest.Test;
  put(path: string, body?: Body): supertest.Test;
  patch(path: string, body?: Body): supertest.Test;
}

/** Give a fresh database the operator whose token is {@link OPERATOR_TOKEN}. */
export async function addOperator(database: Database): Promise<void> {
  await insertPrincipal(database.db, {
    id: 'prn_operator',
    kind: 'operator',
    name: 'test operator',
    tenant_id: null,
    roles: '[]',
    publisher_id: null,
    partner_id: null,
    token_hash: hashToken(OPERATOR_TOKEN),
    created_at: new Date(T0).toISOString(),
  });
}

/** Start the service on a fresh database with the manual clock at T0, no rate limit unless asked. */
export async function startServer(backend: Backend, options: Partial<ServiceOptions> = {}): Promise<TestServer & { stop(): Promise<void> }> {
  const sandbox = await createSandbox(backend);
  const database = await sandbox.open();
  await addOperator(database);
  const hosted = await hostService(database, options);
  return {
    ...hosted,
    async stop() {
      await hosted.stop();
      await sandbox.destroy();
    },
  };
}

/**
 * `test` with a `server` fixture: a fresh running service per test. The test fails if
 * any request to that server answered 500 or the service logged an error, so that "no
 * request answers 500" holds across every suite that uses it.
 */
export function serverTest(backend: Backend, options: Partial<ServiceOptions> = {}) {
  // eslint-disable-next-line no-empty-pattern
  return test.extend('server', async ({}, { onCleanup }) => {
    const server = await startServer(backend, options);
    onCleanup(async () => {
      await server.stop();
      const faults = server.faults();
      if (faults.length > 0) throw new Error(`The service failed during this test:\n${faults.join('\n')}`);
    });
    return server as TestServer;
  });
}
