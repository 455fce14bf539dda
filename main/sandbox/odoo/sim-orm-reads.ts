// The ORM's generic reads as the simulated Odoo answers them: search (domains over stored and computed
// fields), read and search_read with Odoo's formatting of each field, fields_get, read_group and 19's
// formatted_read_group.
import { compileDomain, type FieldResolver } from './sim-domain'
import { OdooSimError } from './sim-errors'
import { modelOf, type SimEnv, type SimField, type SimModel } from './sim-models'

/** The generic reads every model answers; the ORM adds writes and business methods. */
export class SimOrmReads {
  protected idOf(r: unknown): number {
    return (r as { id: number }).id
  }

  protected resolver(env: SimEnv, model: SimModel): FieldResolver {
    const cache = new Map<string, Set<number>>()
    const fieldsOf = (m: SimModel) => m.fields(env.version)
    const get = (m: SimModel, rec: unknown, field: string): SimField => {
      const fd = fieldsOf(m)[field]
      if (!fd) throw new OdooSimError('ValueError', `Invalid field ${m.name}.${field} in leaf`)
      return fd
    }
    // Dotted paths hop models; remember which model each record belongs to.
    const owner = new WeakMap<object, SimModel>()
    const modelFor = (rec: unknown) =>
      (typeof rec === 'object' && rec !== null ? owner.get(rec) : undefined) ?? model
    return {
      value: (rec, field) => get(modelFor(rec), rec, field).get(rec as never, env),
      related: (rec, field) => {
        const m = modelFor(rec)
        const fd = get(m, rec, field)
        if (fd.type !== 'many2one' || !fd.relation)
          throw new OdooSimError('ValueError', `${field} is not a many2one`)
        const id = fd.get(rec as never, env)
        if (typeof id !== 'number') return undefined
        const rel = modelOf(fd.relation)
        const r = rel.byId(env, id)
        if (typeof r === 'object' && r !== null) owner.set(r, rel)
        return r
      },
      childIds: (field, ids) => {
        const key = `${field}:${ids.join(',')}`
        const hit = cache.get(key)
        if (hit) return hit
        const fd = field === 'id' ? { relation: model.name } : fieldsOf(model)[field]
        if (!fd) throw new OdooSimError('ValueError', `Invalid field ${model.name}.${field} in leaf`)
        const out = new Set<number>()
        if (fd.relation === 'stock.location') {
          const prefixes = ids
            .map((id) => env.store.locations.get(id)?.parentPath)
            .filter((x) => x !== undefined)
          for (const l of env.store.locations.values())
            if (prefixes.some((pp) => l.parentPath.startsWith(pp))) out.add(l.id)
        } else ids.forEach((id) => out.add(id))
        cache.set(key, out)
        return out
      },
    }
  }

  search(env: SimEnv, model: SimModel, p: Record<string, unknown>): unknown[] {
    const pred = compileDomain(p.domain ?? [], model.name, this.resolver(env, model))
    const fields = model.fields(env.version)
    const activeTest = env.context.active_test !== false && 'active' in fields
    const domainMentionsActive = JSON.stringify(p.domain ?? []).includes('"active"')
    const out: unknown[] = []
    for (const r of model.all(env)) {
      if (activeTest && !domainMentionsActive && fields.active?.get(r as never, env) === false) continue
      if (pred(r)) out.push(r)
    }
    const order = typeof p.order === 'string' && p.order ? p.order : 'id'
    // Terms compare in turn; an empty value (false) sorts last, as NULL does in PostgreSQL.
    const terms = order.split(',').map((term) => {
      const [ofield, dir] = term.trim().split(/\s+/) as [string, string | undefined]
      const ofd = fields[ofield]
      if (!ofd) throw new OdooSimError('ValueError', `Invalid "order" specified (${order}).`)
      return { ofd, sign: dir?.toLowerCase() === 'desc' ? -1 : 1 }
    })
    out.sort((a, b) => {
      for (const { ofd, sign } of terms) {
        const x = ofd.get(a as never, env) as number | string | false
        const y = ofd.get(b as never, env) as number | string | false
        if (x === y) continue
        if (x === false || x === null) return 1
        if (y === false || y === null) return -1
        return (x < y ? -1 : 1) * sign
      }
      return (this.idOf(a) - this.idOf(b)) * (terms.length === 1 ? terms[0]!.sign : 1)
    })
    const offset = typeof p.offset === 'number' ? p.offset : 0
    const limit = typeof p.limit === 'number' && p.limit > 0 ? p.limit : undefined
    return out.slice(offset, limit === undefined ? undefined : offset + limit)
  }

  protected fieldList(env: SimEnv, model: SimModel, fields: unknown): string[] {
    const all = model.fields(env.version)
    const names = Array.isArray(fields) && fields.length > 0 ? (fields as string[]) : Object.keys(all)
    for (const n of names)
      if (!(n in all)) throw new OdooSimError('ValueError', `Invalid field '${n}' on model '${model.name}'`)
    return names.includes('id') ? names : ['id', ...names]
  }

  protected format(env: SimEnv, model: SimModel, r: unknown, names: string[]): Record<string, unknown> {
    const all = model.fields(env.version)
    const out: Record<string, unknown> = {}
    for (const n of names) {
      const fd = all[n] as SimField
      const v = fd.get(r as never, env)
      if (fd.type === 'many2one' && typeof v === 'number' && fd.relation) {
        const rel = modelOf(fd.relation)
        const rr = rel.byId(env, v)
        out[n] = rr === undefined ? false : [v, rel.display(rr as never, env)]
      } else out[n] = v === null || v === undefined ? false : v
    }
    return out
  }

  searchRead(env: SimEnv, model: SimModel, p: Record<string, unknown>): Record<string, unknown>[] {
    const names = this.fieldList(env, model, p.fields)
    return this.search(env, model, p).map((r) => this.format(env, model, r, names))
  }

  read(env: SimEnv, model: SimModel, ids: number[], fields: unknown): Record<string, unknown>[] {
    const names = this.fieldList(env, model, fields)
    const out: Record<string, unknown>[] = []
    for (const id of ids) {
      const r = model.byId(env, id)
      if (r !== undefined) out.push(this.format(env, model, r, names))
    }
    return out
  }

  fieldsGet(env: SimEnv, model: SimModel): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [n, fd] of Object.entries(model.fields(env.version)))
      out[n] = {
        type: fd.type,
        store: fd.stored,
        string: n,
        ...(fd.relation ? { relation: fd.relation } : {}),
      }
    return out
  }

  protected groups(
    env: SimEnv,
    model: SimModel,
    domain: unknown,
    groupby: string[],
    sums: Array<{ key: string; field: string; agg: string }>,
  ): Array<{ keys: unknown[]; sums: number[]; count: number; sample: unknown }> {
    const all = model.fields(env.version)
    for (const g of groupby) {
      const fd = all[g]
      if (!fd || !fd.stored)
        throw new OdooSimError('ValueError', `Invalid field '${g}' on model '${model.name}' for groupby`)
    }
    for (const s of sums) {
      const fd = all[s.field]
      if (!fd) throw new OdooSimError('ValueError', `Invalid field '${s.field}' on model '${model.name}'`)
      if (!fd.stored)
        throw new OdooSimError('ValueError', `Cannot aggregate non-stored field ${model.name}.${s.field}`)
    }
    const rows = this.search(env, model, { domain })
    const map = new Map<string, { keys: unknown[]; sums: number[]; count: number; sample: unknown }>()
    for (const r of rows) {
      const keys = groupby.map((g) => (all[g] as SimField).get(r as never, env))
      const k = JSON.stringify(keys)
      let g = map.get(k)
      if (!g) {
        g = { keys, sums: sums.map(() => 0), count: 0, sample: r }
        map.set(k, g)
      }
      g.count++
      sums.forEach((s, i) => {
        const v = Number((all[s.field] as SimField).get(r as never, env)) || 0
        const cur = g.sums[i] as number
        g.sums[i] =
          s.agg === 'max'
            ? g.count === 1
              ? v
              : Math.max(cur, v)
            : s.agg === 'min'
              ? g.count === 1
                ? v
                : Math.min(cur, v)
              : cur + v
      })
    }
    return [...map.values()].sort((a, b) => {
      const x = JSON.stringify(a.keys)
      const y = JSON.stringify(b.keys)
      const na = typeof a.keys[0] === 'number' && typeof b.keys[0] === 'number'
      return na ? (a.keys[0] as number) - (b.keys[0] as number) : x < y ? -1 : x > y ? 1 : 0
    })
  }

  protected groupValue(env: SimEnv, model: SimModel, g: string, v: unknown): unknown {
    const fd = model.fields(env.version)[g] as SimField
    if (fd.type === 'many2one' && typeof v === 'number' && fd.relation) {
      const rel = modelOf(fd.relation)
      const rr = rel.byId(env, v)
      return [v, rr === undefined ? '' : rel.display(rr as never, env)]
    }
    return v === null || v === undefined ? false : v
  }

  readGroup(env: SimEnv, model: SimModel, p: Record<string, unknown>): Record<string, unknown>[] {
    const groupbyAll = (Array.isArray(p.groupby) ? p.groupby : [p.groupby]) as string[]
    const lazy = p.lazy !== false
    const groupby = lazy ? groupbyAll.slice(0, 1) : groupbyAll
    const specs = ((p.fields ?? []) as string[])
      .filter((s) => !groupby.includes(s.split(':')[0] as string))
      .map((s) => {
        const m = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(s)
        if (!m) throw new OdooSimError('ValueError', `Invalid field specification '${s}'`)
        const [, alias, agg, field] = m as unknown as [string, string, string | undefined, string | undefined]
        return { key: alias, field: field ?? alias, agg: agg ?? 'sum' }
      })
    const groups = this.groups(env, model, p.domain, groupby, specs)
    return groups.map((g) => {
      const out: Record<string, unknown> = {}
      groupby.forEach((gb, i) => (out[gb] = this.groupValue(env, model, gb, g.keys[i])))
      specs.forEach((s, i) => (out[s.key] = g.sums[i]))
      if (lazy) out[`${groupby[0]}_count`] = g.count
      else out.__count = g.count
      out.__domain = [
        ...groupby.map((gb, i) => [gb, '=', g.keys[i] ?? false]),
        ...((p.domain as unknown[]) ?? []),
      ]
      return out
    })
  }

  formattedReadGroup(env: SimEnv, model: SimModel, p: Record<string, unknown>): Record<string, unknown>[] {
    const groupby = (p.groupby ?? []) as string[]
    const aggregates = (p.aggregates ?? []) as string[]
    const specs = aggregates
      .filter((a) => a !== '__count')
      .map((a) => {
        const [field, agg] = a.split(':') as [string, string | undefined]
        if (!agg) throw new OdooSimError('ValueError', `Invalid aggregate specification '${a}'`)
        return { key: a, field, agg }
      })
    const groups = this.groups(env, model, p.domain, groupby, specs)
    return groups.map((g) => {
      const out: Record<string, unknown> = {}
      groupby.forEach((gb, i) => (out[gb] = this.groupValue(env, model, gb, g.keys[i])))
      out.__extra_domain = groupby.map((gb, i) => [gb, '=', g.keys[i] ?? false])
      specs.forEach((s, i) => (out[s.key] = g.sums[i]))
      if (aggregates.includes('__count')) out.__count = g.count
      return out
    })
  }
}
