import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { censorSecrets, createLogger } from '../../server/log.js';

describe('log: secrets', () => {
  test('a secret key is censored at the top level and one level down, whatever its value', () => {
    const fields = { token: 'tok_1', paymentMethod: { number: '4242', brand: 'visa' }, nested: { authorization: { scheme: 'Bearer' } }, status: 200 };
    expect(censorSecrets(fields)).toEqual({ token: '[redacted]', paymentMethod: { number: '[redacted]', brand: 'visa' }, nested: { authorization: '[redacted]' }, status: 200 });
    // The caller's object is left as it was.
    expect(fields.token).toBe('tok_1');
    expect(fields.paymentMethod.number).toBe('4242');
  });

  test('a line without secrets is passed on as it is, not copied', () => {
    const fields = { requestId: 'r1', method: 'POST', route: '/api/subscriptions/:id/events', status: 200, principalId: null, details: { count: 2 }, ids: ['a'] };
    expect(censorSecrets(fields)).toBe(fields);
  });

  test('the logger censors every line it writes', async () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info({ webhookSecret: 'whsec_1', card: { cardNumber: '4242424242424242' }, password: 'hunter2' }, 'careless');
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(chunks.join('')) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'careless', webhookSecret: '[redacted]', card: { cardNumber: '[redacted]' }, password: '[redacted]' });
    expect(chunks.join('')).not.toMatch(/whsec_1|4242424242424242|hunter2/);
  });
});
