import type { AddressInfo } from 'node:net';
import type { Database } from '../../storage/database.js';
import { createHttpServer } from '../../server/http-server.js';
import { createService } from '../../server/service.js';
import type { ServiceOptions } from '../../server/service.js';
import { OPERATOR_TOKEN, clientsFor } from './clients.js';
import type { TestServer } from './server.js';
import { T0 } from './engine-fixture.js';

// `startServer` hosts a service on a database of its own and deletes it when it stops;
// tests that stop a service and start another on the same database (restarts) host one here.

/**
 * A service over an open database (manual clock from T0, or where the database's clock
 * was left), served on 127.0.0.1. `stop()` stops it and leaves the database open.
 * `faults()` lists every 500 it answered and every error it logged.
 */
export async function hostService(database: Database, options: Partial<ServiceOptions> = {}): Promise<TestServer & { stop(): Promise<void> }> {
  const faults: string[] = [];
  const log: ServiceOptions['log'] = (level, message, details) => {
    if (level === 'error') faults.push(`logged error: ${message} ${JSON.stringify(details ?? {})}`);
    options.log?.(level, message, details);
  };
  const service = await createService({ database, clock: 'manual', clockStart: T0, rateLimit: 0, ...options, log });
  // Outside the app, so that every response is seen, whichever middleware answered it.
  const server = createHttpServer(service.app, (req, res) => {
    res.on('finish', () => {
      if (res.statusCode >= 500) faults.push(`${req.method} ${req.url} answered ${res.statusCode}`);
    });
    void service.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    database,
    service,
    ...clientsFor(url, OPERATOR_TOKEN),
    faults: () => [...faults],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.stop();
    },
  };
}
