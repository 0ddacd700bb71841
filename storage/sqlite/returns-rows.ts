import { DeleteQueryNode, InsertQueryNode, RawNode, SelectQueryNode, UpdateQueryNode } from 'kysely';
import type { RootOperationNode } from 'kysely';

/**
 * Whether a compiled query yields rows, and so must go through `all` rather than `run`
 * (which discards them). Kysely's node kind answers for built queries; raw SQL is
 * judged by its first keyword or a `returning` clause.
 */
export function returnsRows(query: RootOperationNode, sql: string): boolean {
  if (SelectQueryNode.is(query)) return true;
  if (InsertQueryNode.is(query) || UpdateQueryNode.is(query) || DeleteQueryNode.is(query)) {
    return query.returning !== undefined;
  }
  if (RawNode.is(query)) return /^\s*(select|with|pragma|values|explain)\b/i.test(sql) || /\breturning\b/i.test(sql);
  return false;
}
