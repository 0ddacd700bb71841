import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger, serviceLog } from '../../server/log.js';
import { BACKENDS } from '../helpers/databases.js';
import { GOOD_CARD, activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { OPERATOR_TOKEN, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createWorld } from '../helpers/world.js';

/** A pino destination that keeps what is written. */
function capture(): { stream: Writable; text(): string; lines(): Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A service whose log lines (debug and up) go to a captured stream. */
async function loggedServer(backend: (typeof BACKENDS)[number]) {
  const log = capture();
  const server = await startServer(backend, { log: serviceLog(createLogger({ level: 'debug', destination: log.stream })) });
  return { server, log };
}

async function within(server: TestServer & { stop(): Promise<void> }, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await server.stop();
  }
}

for (const backend of BACKENDS) {
  describe(`${backend}: request ids and logs`, () => {
    test('each request gets an id: a sane X-Request-Id is kept and echoed, anything else replaced', async () => {
      const { server, log } = await loggedServer(backend);
      await within(server, async () => {
        const kept = await server.operator.get('/api/clock').set('X-Request-Id', 'trace-42.a:b_c').expect(200);
        expect(kept.headers['x-request-id']).toBe('trace-42.a:b_c');
        const fresh = await server.http().get('/healthz').expect(200);
        expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        for (const insane of ['two words', 'x'.repeat(129), 'a"b']) {
          const replaced = await server.http().get('/healthz').set('X-Request-Id', insane).expect(200);
          expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        }
        // Problems carry one too, and the log line of a request names it.
        const missing = await server.operator.post('/api/operator/deliveries/dlv_nothing/redeliver').set('X-Request-Id', 'lost-1').expect(404);
        expect(missing.headers['x-request-id']).toBe('lost-1');
        const line = log.lines().find((l) => l.msg === 'request' && l.requestId === 'lost-1');
        expect(line).toMatchObject({ level: 30, method: 'POST', route: '/api/operator/deliveries/:id/redeliver', status: 404, principalId: 'prn_operator' });
        expect(line?.durationMs).toEqual(expect.any(Number));
        expect(log.lines().filter((l) => l.msg === 'request' && l.requestId === kept.headers['x-request-id'])).toHaveLength(1);
      });
    });

    test('tokens, card numbers and webhook secrets never reach the log', async () => {
      const { server, log } = await loggedServer(backend);
      const receiver = await WebhookReceiver.start();
      await within(server, async () => {
        // A failing delivery, so that the outbox logs too.
        receiver.failNext(1);
        const world = await createWorld(server, { webhookUrl: receiver.url });
        const operator = (await server.operator.post('/api/operator/principals', { kind: 'operator', name: 'second operator' }).expect(201)).body;
        const publisher = (await server.operator.post('/api/operator/publishers', { name: 'Litware', landingPageUrl: 'https://litware.example/', webhookUrl: receiver.url }).expect(201)).body;
        const id = await buyDirect(world, await createProfile(world, GOOD_CARD), 2);
        await activateViaPortal(world, id);
        await receiver.until('the failed attempt', () => receiver.requests.length >= 1);
        await server.as(operator.token).get('/api/clock').expect(200);
        await server.as('op_not_a_real_token_but_secret').get('/api/clock').expect(401);
        await server.operator.get(`/api/operator/deliveries?status=pending&token=${operator.token}`).expect(200);
        // Even a detail someone logs by mistake is censored.
        server.service.ctx.log('info', 'careless', { token: operator.token, paymentMethod: { number: GOOD_CARD.number }, webhookSecret: publisher.webhookSecret });

        const text = log.text();
        const secrets = [
          OPERATOR_TOKEN,
          operator.token,
          'op_not_a_real_token_but_secret',
          publisher.webhookSecret,
          world.publisher.webhookSecret,
          GOOD_CARD.number,
          GOOD_CARD.number.replaceAll(' ', ''),
        ];
        for (const secret of secrets) expect(text).not.toContain(secret);
        // Not vacuous: the log has the requests, with their principals, and the outbox's failure.
        const lines = log.lines();
        const requests = lines.filter((l) => l.msg === 'request');
        expect(requests.length).toBeGreaterThan(15);
        expect(requests.some((l) => l.principalId === operator.id && l.route === '/api/clock')).toBe(true);
        expect(requests.some((l) => l.status === 401 && l.principalId === null)).toBe(true);
        expect(lines.some((l) => l.msg === 'outbox attempt failed' && l.level === 40)).toBe(true);
        expect(lines.find((l) => l.msg === 'careless')).toMatchObject({ token: '[redacted]', paymentMethod: { number: '[redacted]' }, webhookSecret: '[redacted]' });
      }).finally(() => receiver.close());
    });
  });
}
