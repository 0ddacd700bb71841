import http from 'node:http';

/** An answer: status and parsed JSON body. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A lean JSON client over keep-alive connections: the load generator shares the machine
 * with the service, so it should cost little per request.
 */
export class HttpClient {
  readonly #agent: http.Agent;
  readonly #url: URL;

  constructor(base: string, maxSockets: number) {
    this.#url = new URL(base);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Sends a request with a bearer token; resolves with any status. */
  request(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ hostname: this.#url.hostname, port: this.#url.port, path, method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `request`, but throws unless the status is `expected`. */
  async expect<T>(expected: number, method: string, path: string, token: string, body?: unknown): Promise<T> {
    const answer = await this.request(method, path, token, body);
    if (answer.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as T;
  }

  /** Closes the idle connections. */
  close(): void {
    this.#agent.destroy();
  }
}
