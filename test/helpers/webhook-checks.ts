import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReceivedRequest, WebhookBody } from './webhook-receiver.js';

// What a publisher does with a delivery, written here from API.md alone (not with the
// service's own code), so that the tests check the contract rather than agree with it.

/** The fields API.md gives a webhook body, sorted. */
export const WEBHOOK_FIELDS = ['appId', 'data', 'id', 'occurredAt', 'subscriptionId', 'tenantId', 'type', 'version'];

/** Whether `X-Signature` is the HMAC-SHA256 of "<X-Timestamp>.<raw body>" keyed by the secret. */
export function signatureVerifies(secret: string, request: ReceivedRequest): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${String(request.headers['x-timestamp'])}.${request.raw}`).digest('hex')}`);
  const given = Buffer.from(String(request.headers['x-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A receiver's view of its subscriptions from deliveries in whatever order they came:
 * each subscription's latest is the one with the highest version; anything older or
 * repeated is dropped.
 */
export function latestByVersion(deliveries: readonly WebhookBody[]): Map<string, WebhookBody> {
  const latest = new Map<string, WebhookBody>();
  for (const body of deliveries) {
    const seen = latest.get(body.subscriptionId);
    if (!seen || body.version > seen.version) latest.set(body.subscriptionId, body);
  }
  return latest;
}
