import type { AddressInfo } from 'node:net';
import type { Database } from '../../storage/database.js';
import { createHttpServer } from '../../server/http-server.js';
import { createService } from '../../server/service.js';
import type { ServiceOptions } from '../../server/service.js';
import { clientsFor } from './clients.js';
import type { TestServer } from './server.js';
import { T0 } from './engine-fixture.js';
import { OPERATOR_TOKEN } from './server.js';

// For tests that stop a service and start another on the same database (restarts):
// `startServer` owns its database and deletes it when it stops, this does neither.

/**
 * A service over an open database (manual clock from T0, or where the database's clock
 * was left), served on 127.0.0.1. `stop()` stops it and leaves the database open.
 */
export async function hostService(database: Database, options: Partial<ServiceOptions> = {}): Promise<TestServer & { stop(): Promise<void> }> {
  const faults: string[] = [];
  const service = await createService({
    database,
    clock: 'manual',
    clockStart: T0,
    rateLimit: 0,
    log: (level, message, details) => {
      if (level === 'error') faults.push(`logged error: ${message} ${JSON.stringify(details ?? {})}`);
    },
    ...options,
  });
  const server = createHttpServer(service.app, (req, res) => {
    res.on('finish', () => {
      if (res.statusCode >= 500) faults.push(`${req.method} ${req.url} answered ${res.statusCode}`);
    });
    void service.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // `faults` matches the harness that fails a test on a 500 or a logged error, where it has one.
  const hosted = {
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
  return hosted;
}
