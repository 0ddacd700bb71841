import { CompiledQuery, SelectQueryNode, createQueryId } from 'kysely';
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Database } from './database.js';
import type { Tables } from './tables.js';

/** A select a repository made, and SQLite's plan for it (one line per step). */
export interface QueryPlan {
  readonly sql: string;
  readonly plan: readonly string[];
}

/** Keeps every select that passes through, untouched. */
class SelectRecorder implements KyselyPlugin {
  readonly selects: RootOperationNode[] = [];

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (SelectQueryNode.is(node)) this.selects.push(node);
    return node;
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  }
}

/**
 * Runs `queries` (calls of repository functions, as the service makes them) and returns
 * `EXPLAIN QUERY PLAN` of each select they made, so that a plan is checked on the very SQL
 * the service runs. SQLite only.
 */
export async function queryPlans(database: Database, queries: (db: Kysely<Tables>) => Promise<unknown>): Promise<QueryPlan[]> {
  if (database.dialect !== 'sqlite') throw new Error('query plans are read from SQLite only');
  const recorder = new SelectRecorder();
  await queries(database.db.withPlugin(recorder));
  const executor = database.db.getExecutor();
  const plans: QueryPlan[] = [];
  for (const node of recorder.selects) {
    const { sql, parameters } = executor.compileQuery(node, createQueryId());
    const { rows } = await database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]));
    plans.push({ sql, plan: rows.map((row) => row.detail) });
  }
  return plans;
}

/**
 * The steps of a plan that read a whole table or index (`SCAN`, with or without an index)
 * or sort what they found: what a fitting index spares, and what grows with the table.
 */
export function costlySteps(plan: QueryPlan): string[] {
  return plan.plan.filter((step) => (/^SCAN /.test(step) && !/^SCAN CONSTANT ROW/.test(step)) || /USE TEMP B-TREE FOR (ORDER|GROUP) BY/.test(step));
}
