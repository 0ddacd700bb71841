import type { ErrorRequestHandler, Response } from 'express';
import { DomainError, EngineError, EventRefusedError, VersionConflictError } from '../engine/errors.js';
import type { Principal } from '../engine/principal.js';
import { sendableBy } from './machine-views.js';

// The one place where codes become statuses (API.md, "Conventions").
const STATUS: Readonly<Record<string, number>> = {
  malformed_json: 400,
  unauthenticated: 401,
  payment_declined: 402,
  forbidden: 403,
  not_found: 404,
  event_not_allowed: 409,
  last_owner: 409,
  clock_not_manual: 409,
  token_expired: 410,
  token_used: 410,
  version_conflict: 412,
  payload_too_large: 413,
  validation_failed: 422,
  unsupported_region: 422,
  agreement_required: 422,
  not_seat_based: 422,
  quantity_out_of_range: 422,
  quantity_below_assigned: 422,
  license_limit_exceeded: 422,
  invalid_billing_profile: 422,
  amount_mismatch: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
};

const TITLE: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** The HTTP status of an API code. */
export function statusOf(code: string): number {
  return STATUS[code] ?? 500;
}

/** Answer with an RFC 9457 problem document. */
export function sendProblem(res: Response, code: string, detail: string, extensions: Readonly<Record<string, unknown>> = {}): void {
  const status = statusOf(code);
  res
    .status(status)
    .type('application/problem+json')
    .json({ type: `https://docs.saas-subscriptions.example/problems/${code}`, title: TITLE[status] ?? 'Error', status, detail, code, ...extensions });
}

function describeRefusal(error: EventRefusedError): string {
  const allowed = error.allowedEvents.length > 0 ? `It accepts ${error.allowedEvents.join(', ')}.` : 'It accepts no events any more.';
  switch (error.refusal) {
    case 'event_not_allowed':
      return `The ${error.machine} is ${JSON.stringify(error.state)} and does not accept ${error.eventType} now. ${allowed}`;
    case 'not_seat_based':
      return 'This subscription is on a flat (site-based) plan: its licenses are unlimited and it has no quantity to change.';
    case 'quantity_out_of_range':
      return "The quantity is outside the plan's minimum and maximum.";
    case 'quantity_below_assigned':
      return 'The quantity is below the number of assigned licenses: unassign licenses first.';
    case 'license_limit_exceeded':
      return 'Assigning these users would exceed the purchased quantity: none were assigned. Increase the quantity or unassign others first.';
    case 'agreement_required':
      return 'The customer agreement must be accepted first: send acceptAgreement: true, or accept it at POST /api/tenant/agreement.';
    case 'amount_mismatch':
      return 'The amount recorded must equal the invoice total.';
    case 'token_expired':
      return 'This handoff token expired or was replaced by a newer one: open the publisher portal again for a fresh token.';
    case 'token_used':
      return 'This handoff token was already resolved; tokens are single-use.';
    default:
      return error.message;
  }
}

/** The one error handler: every failure becomes problem+json, and no stack trace leaves. */
export function problemHandler(log: (error: unknown, res: Response) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof EventRefusedError) {
      // allowedEvents as in the caller's views: what the state accepts from this caller.
      const principal = res.locals.principal as Principal | undefined;
      const allowedEvents = principal ? sendableBy(principal, error.machine, error.allowedEvents) : [];
      const extensions = error.refusal === 'event_not_allowed' ? { state: error.state, allowedEvents } : {};
      return sendProblem(res, error.refusal, describeRefusal(error), extensions);
    }
    if (error instanceof VersionConflictError) {
      return sendProblem(res, 'version_conflict', `The resource changed: it is at version ${error.currentVersion}. Read it again and retry.`, {
        currentVersion: error.currentVersion,
      });
    }
    if (error instanceof DomainError) return sendProblem(res, error.code, error.message, error.extensions);
    if (error instanceof EngineError && error.code !== 'internal') return sendProblem(res, error.code, error.message);
    const body = error as { type?: string; status?: number };
    if (body?.type === 'entity.parse.failed') return sendProblem(res, 'malformed_json', 'The request body is not valid JSON.');
    if (body?.type === 'entity.too.large') return sendProblem(res, 'payload_too_large', 'The request body is over 100 kB (100,000 bytes).');
    if (body?.type === 'request.size.invalid' || body?.type === 'request.aborted') {
      return sendProblem(res, 'malformed_json', 'The request body did not arrive whole (its length differs from Content-Length); send it again.');
    }
    if (body?.type === 'charset.unsupported' || body?.type === 'encoding.unsupported') {
      return sendProblem(res, 'validation_failed', 'The request body must be UTF-8 JSON.', { errors: [] });
    }
    log(error, res);
    sendProblem(res, 'internal', 'The service failed to handle this request. It has been logged; try again later.');
  };
}
