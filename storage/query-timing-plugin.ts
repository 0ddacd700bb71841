import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Told of each query's duration in seconds, by operation (`select`, `insert`, …). */
export type ObserveQuery = (operation: string, seconds: number) => void;

// SelectQueryNode → select; anything else keeps its node kind, lower-cased.
function operationOf(node: RootOperationNode): string {
  return node.kind.replace(/QueryNode$|Node$/, '').toLowerCase();
}

/**
 * Times Kysely queries, from compilation to the result: the wait for a connection is
 * included, since that is what a caller waits for too. A query that fails reports no
 * result, so it is not timed; its start is held weakly and simply forgotten.
 */
export class QueryTimingPlugin implements KyselyPlugin {
  private readonly started = new WeakMap<object, { operation: string; at: bigint }>();

  constructor(private readonly observe: ObserveQuery) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(queryId, { operation: operationOf(node), at: process.hrtime.bigint() });
    return node;
  }

  async transformResult({ queryId, result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(queryId);
    if (start) {
      this.started.delete(queryId);
      this.observe(start.operation, Number(process.hrtime.bigint() - start.at) / 1e9);
    }
    return result;
  }
}
