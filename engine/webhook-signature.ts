import { createHmac } from 'node:crypto';

/** The signature header of a webhook: HMAC-SHA256 of "<timestamp>.<raw body>". */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}
