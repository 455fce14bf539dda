// The backend of the GraphQL endpoint: records the admitted operation, resolves each root field (an error
// on one field leaves the others answered), refunds the cost it did not use, and answers with the cost
// extensions Shopify sends.
import { createSchemaValidator, type SchemaValidator } from '../../kit'
import type { SimResponse } from '../../http/sim-server'
import type { ShopifyContext } from './context'
import type { AdmittedQuery } from './gateway'
import type { FieldRun, Resolver } from './resolvers'
import { MUTATION_RESOLVERS } from './resolvers-mutations'
import { QUERY_RESOLVERS } from './resolvers-queries'
import { shopifyVariableSchemas } from './shopify-schemas'
import { throttleStatus } from './views'

const RESOLVERS: Record<string, Resolver> = { ...QUERY_RESOLVERS, ...MUTATION_RESOLVERS }

// Compiled once per process: from 2026-07 changeFromQuantity must be present (null opts out of CAS).
const compiled = new Map<boolean, SchemaValidator>()
const variableSchemas = (requireChangeFrom: boolean): SchemaValidator => {
  let v = compiled.get(requireChangeFrom)
  if (!v) {
    v = createSchemaValidator(shopifyVariableSchemas(requireChangeFrom))
    compiled.set(requireChangeFrom, v)
  }
  return v
}

export function executeQuery(ctx: ShopifyContext, q: AdmittedQuery): SimResponse {
  const { op } = q
  const idem = op.fields.flatMap((f) => f.directives).find((d) => d.name === 'idempotent')
  const idemKey = idem
    ? q.val(idem.args['key'])
    : /@idempotent\s*\(\s*key\s*:\s*"([^"]+)"/.exec(q.queryText)?.[1]
  ctx.received.push({
    operation: op.name ?? op.type,
    fields: op.fields.map((f) => f.name),
    variables: q.variables,
    ...(typeof idemKey === 'string' ? { idempotencyKey: idemKey } : {}),
  })

  const data: Record<string, unknown> = {}
  const errors: unknown[] = []
  const run: FieldRun = { actual: 0, idemKey, schemas: variableSchemas(q.version >= '2026-07') }
  for (const f of op.fields) {
    try {
      const resolver = RESOLVERS[f.name]
      if (resolver?.kind !== op.type)
        throw new Error(
          `Field '${f.name}' doesn't exist on type '${op.type === 'query' ? 'QueryRoot' : 'Mutation'}'`,
        )
      data[f.alias] = resolver.resolve(ctx, q, f, run)
    } catch (e) {
      errors.push({ message: (e as Error).message, path: [f.alias], extensions: { code: 'BAD_REQUEST' } })
      data[f.alias] = null
    }
  }
  ctx.bucket.refund(Math.max(0, q.requested - run.actual))
  return {
    status: 200,
    body: {
      data,
      ...(errors.length > 0 ? { errors } : {}),
      extensions: {
        cost: {
          requestedQueryCost: q.requested,
          actualQueryCost: run.actual,
          throttleStatus: throttleStatus(ctx),
        },
      },
    },
  }
}
