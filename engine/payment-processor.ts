/** A card on file as the processor sees it: never the full number (that is not stored). */
export interface CardOnFile {
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
}

export interface ChargeRequest {
  readonly card: CardOnFile;
  readonly amount: { readonly amount: number; readonly currency: string };
  /** The same key never charges twice, so a retried charge after a crash is safe. */
  readonly idempotencyKey: string;
  readonly description: string;
}

export type ChargeResult = { readonly ok: true; readonly reference: string } | { readonly ok: false; readonly reason: string };

/** The payment processor: one module behind this interface, so a real one can replace the stand-in. */
export interface PaymentProcessor {
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

/**
 * Charges the stand-in remembers. A retry with the same key comes within seconds (an
 * outbox attempt cut short, a request sent again; 1,000 charges are 20 s at the 50 a second
 * of issue 7's soak), and the memory is the process's anyway, gone at a restart:
 * remembering every charge ever made only grew the service's memory with each one. A
 * larger bound fills too slowly to tell from a leak: 10,000 still grew the soak's memory
 * by ~11 MB over its 5 minutes.
 */
const REMEMBERED_CHARGES = 1_000;

/**
 * The deterministic stand-in of SPEC §7: cards whose number ends in 0002 are declined,
 * every other card is charged. The most recent charges are remembered by idempotency key.
 */
export class StandInProcessor implements PaymentProcessor {
  private readonly charges = new Map<string, ChargeResult>();

  constructor(private readonly remembered = REMEMBERED_CHARGES) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const known = this.charges.get(request.idempotencyKey);
    if (known) return known;
    const result: ChargeResult =
      request.card.last4 === '0002' ? { ok: false, reason: 'card_declined' } : { ok: true, reference: `stand-in:${request.idempotencyKey}` };
    this.charges.set(request.idempotencyKey, result);
    // A Map iterates in insertion order: the first key is the oldest charge.
    if (this.charges.size > this.remembered) this.charges.delete(this.charges.keys().next().value as string);
    return result;
  }
}
