// How a root field is resolved: the operation type it belongs to and what it answers, given the shop and
// the admitted query; `run` carries the cost the query actually used and its @idempotent key.
import type { SchemaValidator } from '../../kit'
import type { ShopifyContext } from './context'
import type { AdmittedQuery } from './gateway'
import type { RootField } from './graphql-scan'

export interface FieldRun {
  /** The query's actual cost so far (what is not used is refunded to the bucket). */
  actual: number
  /** The key of the operation's @idempotent directive, when it has one. */
  idemKey: unknown
  /** Input schemas of the query's API version. */
  schemas: SchemaValidator
}

export interface Resolver {
  kind: 'query' | 'mutation'
  /** The field's value; a throw becomes a GraphQL error on the field (its value null). */
  resolve(ctx: ShopifyContext, q: AdmittedQuery, f: RootField, run: FieldRun): unknown
}

/** `first` of a connection, which Shopify takes between 1 and 250. */
export function firstOf(q: AdmittedQuery, f: RootField): number {
  const first = Number(q.val(f.args['first']) ?? 0)
  if (!(first >= 1 && first <= 250)) throw new Error('first: must be between 1 and 250')
  return first
}
