import http from 'node:http';

/** An answer: its status, and its body when it is not a 2xx (to say what went wrong). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

// A request unanswered this long is counted as an error rather than waited for.
const TIMEOUT_MS = 30_000;

/** Whether a status is a success. */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/**
 * One request over a keep-alive agent. A success's body is read and dropped unparsed: the
 * client's work per request should be as small as the protocol allows, since it shares
 * the machine with the server it measures.
 */
export function request(agent: http.Agent, base: URL, method: 'GET' | 'POST', path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, hostname: base.hostname, port: base.port, method, path, headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (isSuccess(status)) {
        res.resume();
        res.once('end', () => resolve({ status, body: '' }));
      } else {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      }
      res.once('error', reject);
    });
    req.once('error', reject);
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
    req.end(body);
  });
}
