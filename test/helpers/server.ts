import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { test } from 'vitest';
import { hashToken } from '../../engine/secrets.js';
import type { Database } from '../../storage/database.js';
import { insertPrincipal } from '../../storage/parties.repository.js';
import { createHttpServer } from '../../server/http-server.js';
import { createService } from '../../server/service.js';
import type { ServiceOptions } from '../../server/service.js';
import type { Backend } from './databases.js';
import { createSandbox } from './databases.js';
import { T0 } from './engine-fixture.js';

export const OPERATOR_TOKEN = 'op_test_token';

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

/** Start the service with the manual clock at T0, no rate limit unless asked. */
export async function startServer(backend: Backend, options: Partial<ServiceOptions> = {}): Promise<TestServer & { stop(): Promise<void> }> {
  const sandbox = await createSandbox(backend);
  const database = await sandbox.open();
  await addOperator(database);
  const faults: string[] = [];
  const log: ServiceOptions['log'] = (level, message, details) => {
    if (level === 'error') faults.push(`logged error: ${message} ${JSON.stringify(details ?? {})}`);
    options.log?.(level, message, details);
  };
  const service = await createService({ database, clock: 'manual', clockStart: T0, rateLimit: 0, ...options, log });
  // Outside the app, so that every response is seen, whichever middleware answered it.
  const server: Server = createHttpServer(service.app, (req, res) => {
    res.on('finish', () => {
      if (res.statusCode >= 500) faults.push(`${req.method} ${req.url} answered ${res.statusCode}`);
    });
    void service.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http = () => supertest.agent(url);
  const as = (token: string): AuthedClient => {
    const auth = (t: supertest.Test) => t.set('Authorization', `Bearer ${token}`);
    return {
      get: (path) => auth(http().get(path)),
      post: (path, body) => auth(http().post(path)).send(body as object),
      put: (path, body) => auth(http().put(path)).send(body as object),
      patch: (path, body) => auth(http().patch(path)).send(body as object),
    };
  };
  return {
    url,
    database,
    service,
    http,
    as,
    operator: as(OPERATOR_TOKEN),
    faults: () => [...faults],
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.stop();
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
