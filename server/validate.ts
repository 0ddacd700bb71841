import type { z } from 'zod';
import { DomainError } from '../engine/errors.js';

/** The value, validated by the schema, or a 422 validation_failed listing every problem. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' = 'body'): z.output<S> {
  const result = schema.safeParse(where === 'query' ? withoutEmpty(value) : value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : where,
    message: issue.message,
  }));
  const detail =
    value === undefined && where === 'body'
      ? 'The request needs a JSON body.'
      : `The ${where} is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`;
  throw new DomainError('validation_failed', detail, { errors });
}

/** A query without its empty parameters: `?status=` says nothing, as if it were absent. */
function withoutEmpty(query: unknown): Record<string, unknown> {
  if (query === null || typeof query !== 'object') return {};
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
}

/** A 422 validation_failed for one field. */
export function invalidField(path: string, message: string): DomainError {
  return new DomainError('validation_failed', `${path}: ${message}.`, { errors: [{ path, message }] });
}
