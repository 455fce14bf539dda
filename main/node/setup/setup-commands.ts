// The setup steps of the app as commands: `lastunit listings fetch`, `lastunit map auto|list|set`,
// `lastunit first-push`, and what `lastunit checklist` needs headless. Registered on the CLI's program by
// main/cli.ts. Each runs the app's own code (the API handlers, the checklist service, the engine's guard)
// and none of them pushes to a channel: only a running engine does, for live channels.
import type { Command } from 'commander'
import type { Database } from 'better-sqlite3'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { SecretVault } from '../../core/ports/secret-vault'
import { createHandlers } from '../api/handlers'
import type { Handlers } from '../api/handler-types'
import { HandlerError } from '../api/handler-error'
import type { ChecklistDeps, ChecklistHeadless } from '../checklist'
import { getChannel, listChannels, type ChannelRow } from '../db/repos/channels'
import { readCredentials } from '../db/repos/credentials'
import { listingMappingCounts } from '../db/repos/listings'
import { productCount } from '../db/repos/products'
import { sqliteBucketMemory } from '../db/repos/rate-memory'
import { firstPushState } from '../engine/first-push'
import type { AdapterFactoryOptions } from '../runtime/channel-registry'
import { createChannelAdapter } from '../runtime/channel-registry'
import { fetchListings } from '../runtime/listings-sync'
import { redactText } from '../redaction'
import { confirmFirstPushHeadless, formatFirstPush, reviewFirstPushHeadless } from './first-push-command'
import { headlessReturnFigures, probeOdoo, refreshOdooCatalogue, runningElsewhere } from './headless'

export interface SetupContext {
  io: { out: (line: string) => void; err: (line: string) => void }
  /** Opens the data folder's store (the global options choose it). */
  open: () => { db: Database; dataDir: string }
  /** The vault for credentials (the key from the environment or --key-file). */
  vault: (db: Database) => SecretVault
  version: string
  /** Ends the command with an exit code and a message (main/cli.ts passes its CliExit). */
  fail: (code: number, message: string) => never
}

/** For commands that never read a secret. */
const unusedVault: SecretVault = {
  description: 'not opened (this command reads no secrets)',
  encrypt: () => {
    throw new Error('this command never writes secrets')
  },
  decrypt: () => {
    throw new Error('this command never reads secrets')
  },
}

const say = (e: unknown) =>
  redactText(`${errorMessage(e)}${isClassifiedError(e) && e.hint ? ` ${e.hint}` : ''}`)

/** Adapters built for a command share the rate-limit buckets a running engine keeps in the store. */
export const cliAdapterOptions = (db: Database): AdapterFactoryOptions => ({
  rateMemory: (id) => sqliteBucketMemory(db, id),
})

const handlersFor = (db: Database, vault: SecretVault, dataDir: string, version: string): Handlers =>
  createHandlers({ db, vault, dataDir, host: 'cli', version, engine: () => null })

const counts = (db: Database, channelId: string) => listingMappingCounts(db, channelId)

/** The checklist's dependencies and hooks when no engine runs in this process. */
export function headlessChecklist(
  db: Database,
  vault: SecretVault,
  signal?: AbortSignal,
): { deps: ChecklistDeps; headless: ChecklistHeadless } {
  return {
    deps: {
      db,
      engine: null,
      vault,
      adapterOptions: cliAdapterOptions(db),
      runningElsewhere: () => runningElsewhere(db),
      probeOdoo: () => probeOdoo(db, vault),
    },
    headless: {
      returnFigures: (channelId, productId) => headlessReturnFigures(db, vault, channelId, productId),
      raceWith: (channelId) => {
        const c = getChannel(db, channelId)
        const other = runningElsewhere(db)
        if (!c || c.state !== 'live' || !other) return null
        return `${c.name} is live and ${other.source.replace(/, status .*$/, '')} pushes to it: the test would race its pushes. Stop it first (Ctrl+C drains it), then run the test again.`
      },
      afterGoLive: (channelId) => {
        const other = runningElsewhere(db)
        const lines = [
          other
            ? `LastUnit is running (${other.source.replace(/, status .*$/, '')}): it syncs ${channelId} once it reloads the configuration; lastunit status shows it.`
            : `Next: lastunit run (it syncs ${channelId} from now on; keep it running, e.g. as a service).`,
        ]
        if (firstPushState(db, channelId) !== 'done')
          lines.push(
            `Before anything is sent, lastunit first-push ${channelId} shows the first push; one that would zero or drastically change most listings waits for lastunit first-push ${channelId} --confirm.`,
          )
        return lines
      },
      ...(signal ? { signal } : {}),
    },
  }
}

function channelsNamed(db: Database, id: string | undefined, fail: SetupContext['fail']): ChannelRow[] {
  if (id) {
    const c = getChannel(db, id)
    if (!c) return fail(2, `There is no channel "${id}". lastunit status lists them.`)
    if (c.state === 'disabled') return fail(1, `${c.name} is disabled: enable it (back to setup) first.`)
    return [c]
  }
  const all = listChannels(db).filter((c) => c.state !== 'disabled')
  if (all.length === 0) return fail(1, 'No channel is configured: lastunit config import FILE adds them.')
  return all
}

export function registerSetupCommands(program: Command, ctx: SetupContext): void {
  const { io, fail } = ctx

  const listings = program.command('listings').description("fetch the channels' listings (for mapping)")
  listings
    .command('fetch')
    .description(
      "read each channel's listings (read only: nothing is written to the channel) and Odoo's products",
    )
    .argument('[channel]', 'only this channel')
    .action(async (channelId: string | undefined) => {
      const { db } = ctx.open()
      try {
        const vault = ctx.vault(db)
        const channels = channelsNamed(db, channelId, fail)
        let failed = 0
        // Odoo's catalogue first: mapping needs it, and Zalando's listings are Odoo's EANs.
        try {
          const r = await refreshOdooCatalogue(db, vault)
          io.out(`Odoo: read ${r.products} products and their sales history.`)
        } catch (e) {
          failed++
          io.err(`Odoo's products could not be read: ${say(e)}`)
        }
        const unmapped: string[] = []
        for (const c of channels) {
          try {
            const adapter = createChannelAdapter(
              c,
              readCredentials(db, vault, `channel:${c.id}`),
              cliAdapterOptions(db),
            )
            try {
              await fetchListings(db, c.id, adapter)
            } finally {
              await adapter.close?.().catch(() => undefined)
            }
            const n = counts(db, c.id)
            io.out(
              `${c.id}: fetched ${n.listings} listings; ${n.mapped} mapped, ${n.listings - n.mapped} not mapped.`,
            )
            if (n.listings > n.mapped) unmapped.push(c.id)
          } catch (e) {
            failed++
            io.err(`${c.id}: the listings could not be fetched: ${say(e)}`)
          }
        }
        const one = channels.length === 1 ? ` ${channels[0]!.id}` : ''
        if (failed > 0) fail(1, 'Fix what is named above, then run lastunit listings fetch again.')
        io.out(
          unmapped.length > 0
            ? `Next: lastunit map auto${unmapped.length === 1 ? ` ${unmapped[0]}` : ''}`
            : `Next: lastunit checklist${one || ' CHANNEL'}`,
        )
      } finally {
        db.close()
      }
    })

  const map = program.command('map').description('map channel listings to Odoo products')
  map
    .command('auto')
    .description(
      'map unmapped listings by SKU, EAN and channel ids, as the app does (never changes a mapping)',
    )
    .argument('[channel]', 'only this channel')
    .action(async (channelId: string | undefined) => {
      const { db, dataDir } = ctx.open()
      try {
        const vault = ctx.vault(db)
        const channels = channelsNamed(db, channelId, fail)
        const products = productCount(db)
        const fetched = channels.filter((c) => counts(db, c.id).listings > 0)
        if (products === 0 || fetched.length === 0)
          fail(
            1,
            `${products === 0 ? "Odoo's products have not been read yet" : `No listings of ${channels.map((c) => c.id).join(', ')} have been fetched`}: run lastunit listings fetch${channelId ? ` ${channelId}` : ''} first.`,
          )
        const h = handlersFor(db, vault, dataDir, ctx.version)
        const r = await h.autoMatch(channelId ? { channelId } : {})
        io.out(
          `Mapped ${r.matched} listings (${r.bySku} by SKU, ${r.byEan} by EAN, ${r.byChannelId} by channel id); ${r.stillUnmapped} still unmapped.`,
        )
        for (const a of r.ambiguous)
          io.out(`  not mapped, ambiguous: ${a.channelId} ${a.listingId}: ${a.detail}`)
        const ch = channelId ?? 'CHANNEL'
        io.out(
          r.stillUnmapped > 0
            ? `Next: lastunit map list ${ch} --unmapped, then lastunit map set ${ch} LISTING PRODUCT_ID for each`
            : `Next: lastunit checklist ${ch}`,
        )
      } finally {
        db.close()
      }
    })
  map
    .command('list')
    .description('every listing with its Odoo product (or none)')
    .argument('[channel]', 'only this channel')
    .option('--unmapped', 'only listings not mapped yet')
    .option('--json', 'print JSON')
    .action(async (channelId: string | undefined, o: { unmapped?: boolean; json?: boolean }) => {
      const { db, dataDir } = ctx.open()
      try {
        if (channelId && !getChannel(db, channelId)) fail(2, `There is no channel "${channelId}".`)
        const h = handlersFor(db, unusedVault, dataDir, ctx.version)
        const all = await h.listMappings({})
        const rows = all.rows.filter(
          (r) => (!channelId || r.channelId === channelId) && (!o.unmapped || r.productId === null),
        )
        if (o.json) {
          io.out(JSON.stringify(rows, null, 2))
          return
        }
        if (rows.length === 0) {
          io.out(
            o.unmapped
              ? `Every fetched listing${channelId ? ` of ${channelId}` : ''} is mapped.`
              : `No listings${channelId ? ` of ${channelId}` : ''}: lastunit listings fetch${channelId ? ` ${channelId}` : ''} reads them.`,
          )
          return
        }
        for (const r of rows)
          io.out(
            `${r.channelId}  ${r.listingId}  sku ${r.sku ?? '-'}  ean ${r.ean ?? '-'}  ${r.title ? `"${r.title}"` : ''} -> ` +
              (r.productId === null
                ? 'not mapped'
                : `product ${r.productId} ${r.productSku ?? ''} "${r.productName ?? ''}" (${r.source ?? 'manual'})`),
          )
        const open = rows.filter((r) => r.productId === null).length
        if (open > 0)
          io.out(
            `${open} not mapped. Map one: lastunit map set ${channelId ?? 'CHANNEL'} LISTING PRODUCT_ID (Odoo product ids: lastunit map products)`,
          )
      } finally {
        db.close()
      }
    })
  map
    .command('products')
    .description(
      "Odoo's active products with their ids, SKUs and EANs, and on how many listings each is mapped",
    )
    .option('--unmapped', 'only products not mapped on any listing (they do not sync)')
    .action(async (o: { unmapped?: boolean }) => {
      const { db, dataDir } = ctx.open()
      try {
        const h = handlersFor(db, unusedVault, dataDir, ctx.version)
        const { products } = await h.listMappings({})
        const shown = products.filter((p) => !o.unmapped || p.listings === 0)
        if (products.length === 0)
          io.out("Odoo's products have not been read yet: lastunit listings fetch reads them.")
        for (const p of shown)
          io.out(`${p.id}  sku ${p.sku ?? '-'}  ean ${p.ean ?? '-'}  "${p.name}"  on ${p.listings} listings`)
      } finally {
        db.close()
      }
    })
  map
    .command('set')
    .description('map one listing to an Odoo product by hand')
    .argument('<channel>', 'the channel id')
    .argument('<listing>', "the listing's id on the channel (lastunit map list shows them)")
    .argument('<product>', 'the Odoo product id')
    .option('--replace', 'replace an existing mapping of the listing')
    .action(async (channelId: string, listingId: string, product: string, o: { replace?: boolean }) => {
      const productId = Number(product)
      if (!Number.isInteger(productId) || productId <= 0)
        fail(2, `The Odoo product id must be a whole number > 0, got "${product}".`)
      const { db, dataDir } = ctx.open()
      try {
        const h = handlersFor(db, unusedVault, dataDir, ctx.version)
        try {
          const r = await h.setMapping({ channelId, listingId, productId, replace: !!o.replace })
          io.out(
            `${r.channelId} ${r.listingId} -> product ${r.productId} ${r.productSku ?? ''} "${r.productName ?? ''}"`,
          )
        } catch (e) {
          if (e instanceof HandlerError)
            fail(
              1,
              `${e.message}${e.code === 'conflict' ? ` Add --replace to map it to product ${productId}.` : e.hint ? ` ${e.hint}` : ''}`,
            )
          throw e
        }
      } finally {
        db.close()
      }
    })

  program
    .command('first-push')
    .description(
      "the first-push guard's dry-run diff of a channel (nothing is sent); --confirm lets a held first push go out",
    )
    .argument('<channel>', 'the channel id')
    .option(
      '--confirm',
      'confirm the first push: it goes out without waiting (a running engine sends it now)',
    )
    .option('--all', 'list every listing, not only the first 50')
    .option('--json', 'print JSON')
    .action(async (channelId: string, o: { confirm?: boolean; all?: boolean; json?: boolean }) => {
      const { db } = ctx.open()
      try {
        const vault = ctx.vault(db)
        if (!getChannel(db, channelId))
          fail(2, `There is no channel "${channelId}". lastunit status lists them.`)
        let report
        try {
          report = await reviewFirstPushHeadless(db, vault, channelId)
        } catch (e) {
          return fail(1, `The first push could not be computed: ${say(e)}`)
        }
        const confirmed = o.confirm ? confirmFirstPushHeadless(db, report) : null
        if (o.json) {
          io.out(JSON.stringify({ ...report, ...(confirmed ? { confirm: confirmed } : {}) }, null, 2))
          return
        }
        const lines = formatFirstPush(db, report, { all: !!o.all })
        // With --confirm the closing advice is the confirmation's own.
        for (const l of confirmed
          ? lines.filter((x) => !x.startsWith('If these figures') && !x.startsWith('Next:'))
          : lines)
          io.out(l)
        if (confirmed) io.out(confirmed.message)
      } finally {
        db.close()
      }
    })
}
