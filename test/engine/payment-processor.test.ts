import { describe, expect, test } from 'vitest';
import type { ChargeRequest } from '../../engine/payment-processor.js';
import { StandInProcessor } from '../../engine/payment-processor.js';

const card = (last4: string) => ({ brand: 'visa', last4, expMonth: 12, expYear: 2030 });
const request = (idempotencyKey: string, last4 = '4242'): ChargeRequest => ({ card: card(last4), amount: { amount: 1000, currency: 'USD' }, idempotencyKey, description: 'Invoice' });

describe('stand-in payment processor', () => {
  test('charges every card but those ending in 0002', async () => {
    const processor = new StandInProcessor();
    expect(await processor.charge(request('inv_1:issue'))).toEqual({ ok: true, reference: 'stand-in:inv_1:issue' });
    expect(await processor.charge(request('inv_2:issue', '0002'))).toEqual({ ok: false, reason: 'card_declined' });
  });

  test('answers a key it has seen with the first answer, even when the card changed since', async () => {
    const processor = new StandInProcessor();
    await processor.charge(request('inv_1:issue', '0002'));
    expect(await processor.charge(request('inv_1:issue', '4242'))).toEqual({ ok: false, reason: 'card_declined' });
  });

  test('remembers only its most recent charges', async () => {
    const processor = new StandInProcessor(2);
    await processor.charge(request('a', '0002'));
    await processor.charge(request('b', '0002'));
    await processor.charge(request('c', '0002'));
    // The oldest was forgotten: its key is charged afresh, on the card it names now.
    expect(await processor.charge(request('a', '4242'))).toMatchObject({ ok: true });
    expect(await processor.charge(request('c', '4242'))).toMatchObject({ ok: false });
  });
});
