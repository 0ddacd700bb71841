// The pages' one way to call the service: JSON in and out, the bearer token from the
// session, and every failure turned into an ApiError carrying the problem document.

/** A problem+json answer (API.md "Conventions"), or a network failure as one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
  }
}

/** Options of one request. */
export interface RequestOptions {
  readonly body?: unknown;
  /** Answer as text (the SVG diagrams) rather than JSON. */
  readonly text?: boolean;
}

/** A client bound to a token source. */
export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  text(path: string): Promise<string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function problemOf(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (isRecord(body) && typeof body.detail === 'string') {
    const { code, detail, ...rest } = body;
    return new ApiError(response.status, typeof code === 'string' ? code : 'error', detail, rest);
  }
  return new ApiError(response.status, 'error', `The service answered ${response.status} ${response.statusText}.`);
}

/** A client that sends `Authorization: Bearer <token()>` on every request. */
export function createApi(token: () => string | null): Api {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<unknown> => {
    const headers: Record<string, string> = { Accept: options.text ? 'image/svg+xml' : 'application/json' };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      // Views change with every event and differ by caller: always ask the service.
      response = await fetch(path, { method, headers, cache: 'no-store', body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    } catch {
      throw new ApiError(0, 'network', 'The service could not be reached.');
    }
    if (!response.ok) throw await problemOf(response);
    return options.text ? response.text() : response.json();
  };
  return {
    get: async <T>(path: string) => (await request('GET', path)) as T,
    post: async <T>(path: string, body?: unknown) => (await request('POST', path, { body: body ?? {} })) as T,
    text: async (path: string) => (await request('GET', path, { text: true })) as string,
  };
}

/** A query string from the defined, non-empty values. */
export function query(params: Readonly<Record<string, string | number | null | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
