import { findPublisher } from '../storage/parties.repository.js';
import type { Database, PublisherRow } from '../storage/database.js';
import type { Clock } from './clock.js';
import type { Handler } from './outbox.js';
import { signWebhook } from './webhook-signature.js';

/** How long a receiver has to answer before the attempt counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Delivers a webhook outbox row to its publisher (API.md "Publisher webhooks"): JSON body,
 * `X-Timestamp`, `X-Signature: sha256=<hex>` over "<timestamp>.<body>". Anything but a 2xx
 * throws, so the dispatcher retries. A publisher without a webhook URL has nothing to receive.
 * The attempt gives up after `timeoutMs`, or at once when the dispatcher stops.
 */
export function webhookHandler(database: Database, clock: Clock, timeoutMs = WEBHOOK_TIMEOUT_MS): Handler {
  // Publishers are never changed once created (operator.routes.ts), so one read each will do.
  const publishers = new Map<string, PublisherRow>();
  const publisherOf = async (id: string) => {
    let publisher = publishers.get(id);
    if (!publisher) {
      publisher = await findPublisher(database.db, id);
      if (publisher) {
        if (publishers.size >= 10_000) publishers.clear();
        publishers.set(id, publisher);
      }
    }
    return publisher;
  };
  return async (row, stopping) => {
    const { publisherId } = row.payload as { publisherId?: string };
    const publisher = publisherId ? await publisherOf(publisherId) : undefined;
    if (!publisher?.webhook_url) return;
    // The body is the payload without its routing field, copied only when there is somewhere to send it.
    const { publisherId: _routing, ...body } = row.payload;
    const raw = JSON.stringify(body);
    const timestamp = Math.floor(clock.now() / 1000);
    // One signal bounds the whole exchange, connecting and reading the answer included.
    const signal = AbortSignal.any([stopping, AbortSignal.timeout(timeoutMs)]);
    const response = await fetch(publisher.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': String(timestamp), 'x-signature': signWebhook(publisher.webhook_secret, timestamp, raw) },
      body: raw,
      redirect: 'error',
      signal,
    });
    // Only the status matters; the answer is discarded unread, so a receiver that sends a
    // huge body costs nothing.
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new Error(`receiver answered ${response.status}`);
  };
}
