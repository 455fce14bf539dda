// Paging that cannot run away: a channel that answers a next-page cursor it already gave in the same run
// (Zalando's cursors.next, Amazon's nextToken handed back unchanged) would be followed for ever, and one
// that announces a billion pages would be read until the process dies. Every pager of every adapter checks
// the cursors it follows here: a repeated cursor, or more pages than the cap, stops the run with a
// classified error that names the channel, what was being read and the cursor.
import { ClassifiedError } from '../../../core/errors'
import type { Page } from '../../../core/ports/channel-adapter'

/** The channel in messages and error codes ("Zalando", `zalando`). */
export interface PagerOwner {
  service: string
  prefix: string
  /**
   * The channel reports stock below zero as a real state (WooCommerce with backorders, Shopify oversold):
   * listing and read-back quantities may then be negative, down to -(2^31-1).
   */
  negativeStock?: boolean
}

/** Pages one run may read before it is stopped (a real catalogue or order backlog stays far below). */
export const DEFAULT_MAX_PAGES = 1000

/** One paging run: the cursors it has followed, and how many pages it has read. */
export class PageRun {
  private readonly seen = new Set<string>()
  private pages = 0

  constructor(
    private readonly owner: PagerOwner,
    /** What is being read, in words: "reading the listings". */
    private readonly what: string,
    private readonly maxPages = DEFAULT_MAX_PAGES,
    /** The cursor the run starts from (a run resumed from a stored cursor). */
    start?: string,
  ) {
    if (start !== undefined) this.seen.add(start)
  }

  /** Counts a page read and checks the cursor of the next one: answers it, or throws when it loops. */
  follow<C extends string | number>(next: C): C {
    this.pages++
    const key = String(next)
    if (this.seen.has(key))
      throw new ClassifiedError(
        'permanent',
        `${this.owner.prefix}.paging_loop`,
        `${this.owner.service} answered the next-page cursor "${key}" a second time while ${this.what} (after ${this.pages} pages): paging stopped instead of reading the same page for ever`,
        { hint: `A fault of ${this.owner.service}'s API; the next check starts over.` },
      )
    if (this.pages >= this.maxPages)
      throw new ClassifiedError(
        'permanent',
        `${this.owner.prefix}.paging_cap`,
        `${this.owner.service} still had more pages after ${this.pages} while ${this.what} (next cursor "${key}"): paging stopped at the cap of ${this.maxPages} pages`,
        {
          hint: `A fault of ${this.owner.service}'s API, or far more than a shop holds; the next check starts over.`,
        },
      )
    this.seen.add(key)
    return next
  }

  /** Counts a page read where the pager knows no cursor of its own (pages numbered by the channel). */
  count(): void {
    this.pages++
    if (this.pages > this.maxPages)
      throw new ClassifiedError(
        'permanent',
        `${this.owner.prefix}.paging_cap`,
        `${this.owner.service} still had more pages after ${this.maxPages} while ${this.what}: paging stopped at the cap`,
        { hint: `A fault of ${this.owner.service}'s API, or far more than a shop holds.` },
      )
  }
}

/** Runs kept while their next page has not been asked for (older ones are forgotten). */
const OPEN_RUNS = 32

/**
 * A pager whose runs are followed across calls: the engine asks page by page, handing back the cursor it
 * got. A call without a cursor starts a run; a call with a cursor this guard handed out continues that
 * run; any other cursor (stored before a restart) starts a run from it. A call that fails ends its run.
 */
export function guardPages<A extends unknown[], T>(
  owner: PagerOwner,
  what: string,
  fetch: (cursor: string | undefined, ...scope: A) => Promise<Page<T>>,
  maxPages = DEFAULT_MAX_PAGES,
): (cursor: string | undefined, ...scope: A) => Promise<Page<T>> {
  const runs = new Map<string, PageRun>()
  return async (cursor, ...scope) => {
    const scopeKey = JSON.stringify(scope)
    const key = (c: string) => `${scopeKey}\u0000${c}`
    let run: PageRun | undefined
    if (cursor !== undefined) {
      run = runs.get(key(cursor))
      runs.delete(key(cursor))
    }
    run ??= new PageRun(owner, what, maxPages, cursor)
    const page = await fetch(cursor, ...scope)
    if (page.next !== undefined) {
      run.follow(page.next)
      runs.set(key(page.next), run)
      for (const k of runs.keys()) {
        if (runs.size <= OPEN_RUNS) break
        runs.delete(k)
      }
    }
    return page
  }
}
