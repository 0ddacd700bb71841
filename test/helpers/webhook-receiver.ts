import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook body as API.md documents it. */
export interface WebhookBody {
  readonly id: string;
  readonly type: string;
  readonly subscriptionId: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly occurredAt: string;
  readonly version: number;
  readonly data: Record<string, unknown> & { readonly version: number; readonly quantity: number | null };
}

/** One request the receiver got, and how it answered (null: it never did). */
export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly body: WebhookBody;
  readonly status: number | null;
}

/** How the receiver answers: 2xx, 503, or never. */
export type ReceiverMode = 'ok' | 'fail' | 'hang';

/**
 * A publisher's webhook endpoint on 127.0.0.1, for tests: it records every request and
 * answers as told. `failNext(n)` makes the next n requests fail before `mode` applies.
 */
export class WebhookReceiver {
  mode: ReceiverMode = 'ok';
  /** Every request, in arrival order. */
  readonly requests: ReceivedRequest[] = [];
  /** The most requests that were open (received, not yet answered) at once. */
  maxOpen = 0;
  private failures = 0;
  private open = 0;
  private readonly hanging = new Set<ServerResponse>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listen on 127.0.0.1, on `port` (any free one unless told: a restarted receiver keeps its URL). */
  static async start(port = 0): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    const receiver = new WebhookReceiver(server, (server.address() as AddressInfo).port);
    // Attached before any I/O callback can deliver a request.
    server.on('request', (req, res) => receiver.handle(req.headers, req, res));
    return receiver;
  }

  /** The URL to give the publisher. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/subscriptions`;
  }

  /** The requests answered 2xx, in arrival order. */
  get delivered(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status !== null && r.status < 300);
  }

  /** Fail the next `n` requests with 503, whatever the mode. */
  failNext(n: number): void {
    this.failures = n;
  }

  /** Resolves once `done()` holds (checked after each request); rejects after `timeoutMs`, saying what it waited for. */
  async until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the receiver did not get ${what} (it got ${this.requests.length} requests, ${this.delivered.length} answered 2xx)`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Stop listening, dropping requests left hanging. */
  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(headers: IncomingHttpHeaders, req: NodeJS.ReadableStream, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    res.on('close', () => {
      this.open--;
      this.hanging.delete(res);
    });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const failing = this.failures > 0 || this.mode === 'fail';
      if (this.failures > 0) this.failures--;
      const status = failing ? 503 : this.mode === 'hang' ? null : 204;
      this.requests.push({ headers, raw, body: JSON.parse(raw) as WebhookBody, status });
      if (status === null) this.hanging.add(res);
      else res.writeHead(status).end();
      for (const check of [...this.waiters]) check();
    });
  }
}
