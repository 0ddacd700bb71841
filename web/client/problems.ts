import { ApiError } from './api.js';
import { h } from './dom.js';

// The service's `detail` is already a sentence a person can act on; the page adds what
// only the page knows — what it did about it, and where on the page the fix is.
const FIX: Readonly<Record<string, string>> = {
  network: 'Check that the service is running and your connection works, then try again.',
  unauthenticated: 'Sign in again with a valid token.',
  token_used: 'Ask the customer to open your portal again from their admin center: that gives a fresh link.',
  token_expired: 'Ask the customer to open your portal again from their admin center: that gives a fresh link.',
  event_not_allowed: 'The page has been refreshed to show only what can be done now.',
  version_conflict: 'Someone changed this meanwhile; the page has been refreshed — check it and try again.',
  rate_limited: 'Wait a little, then try again.',
  internal: 'If it keeps happening, tell the operator the time it happened.',
  invalid_billing_profile: 'Choose one of the billing profiles in the list.',
};

/** Whether a failure means the shown data is stale and the view should be read again. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'event_not_allowed' || error.code === 'version_conflict');
}

interface FieldError {
  readonly path: string;
  readonly message: string;
}

function fieldErrors(error: ApiError): FieldError[] {
  const errors = error.extensions.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e): e is FieldError => typeof e === 'object' && e !== null && typeof e.path === 'string' && typeof e.message === 'string');
}

/** Any failure in words: the service's detail, the fields at fault, and the fix. */
export function describe(error: unknown): { detail: string; fields: string[]; fix: string | undefined } {
  if (!(error instanceof ApiError)) return { detail: `Something went wrong in this page: ${String(error)}`, fields: [], fix: 'Reload the page and try again.' };
  return { detail: error.detail, fields: fieldErrors(error).map((e) => `${e.path || 'request'}: ${e.message}`), fix: FIX[error.code] };
}

/** The content of an error region for a failure. */
export function problemContent(error: unknown): HTMLElement {
  const { detail, fields, fix } = describe(error);
  return h(
    'div',
    {},
    h('strong', {}, detail),
    fields.length > 0 && h('ul', {}, ...fields.map((f) => h('li', {}, f))),
    fix && h('span', {}, fix),
  );
}
