import type { AddressInfo } from 'node:net';
import express from 'express';

// The yardstick of issue 7's HTTP target: Express 5 parsing the same JSON body on the same
// route, and answering JSON, with nothing else — no authentication, no database, no log.
// Run as its own process (bench/http-servers.ts), like the service, so that both have a
// whole event loop and the load generator has another.

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.post('/api/subscriptions/:id/events', express.json({ limit: '100kb' }), (req, res) => {
  res.json({ id: req.params.id, ...(req.body as Record<string, unknown>) });
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://${address}:${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
