// What each import step works with: the stores, Odoo behind a timeout, the engine, the pass's tally.
import type { Database } from 'better-sqlite3'
import { ClassifiedError } from '../../core/errors'
import type { OdooGateway } from '../../core/ports/odoo-gateway'
import type { Engine } from '../engine'
import type { ImportReporter } from './import-reporter'
import { Halted, type ImportPassResult } from './import-types'

export interface StepContext {
  db: Database
  odoo: OdooGateway
  engine: Engine
  report: ImportReporter
  halted(): boolean
  /** Every Odoo call has a timeout; a timeout is a lost response, retried through the look-up. */
  call<T>(fn: () => Promise<T>): Promise<T>
  result: ImportPassResult
  /** Products whose lines were mapped in this pass: the engine replans them. */
  replan: Set<number>
  /**
   * Orders confirmed in Odoo whose reservation is not recorded yet (until it is, the units count twice:
   * the published figure is lower, never higher).
   */
  reserved: Map<string, { channelId: string; orderId: string }>
  /**
   * Records an order's reservation and reads its products right away; orders confirmed while that read
   * runs go together in the next one.
   */
  reserve(channelId: string, orderId: string): void
  /**
   * Waits for the orders before this one in the pass to have created theirs (or not needed to), so sale
   * orders are created in the order the orders were sold while the other calls run side by side.
   */
  createTurn(): Promise<void>
  /** This order's create went out (or is not needed): the next order may create its own. */
  created(): void
}

/** An Odoo call that counts as lost after `timeoutMs`; nothing goes on once the importer is halted. */
export async function callWithTimeout<T>(
  fn: () => Promise<T>,
  timeoutMs: number,
  halted: () => boolean,
): Promise<T> {
  if (halted()) throw new Halted()
  let timer: NodeJS.Timeout | undefined
  try {
    const out = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ClassifiedError('retryable', 'odoo.timeout', `Odoo did not answer in ${timeoutMs} ms`),
            ),
          timeoutMs,
        )
      }),
    ])
    if (halted()) throw new Halted()
    return out
  } finally {
    if (timer) clearTimeout(timer)
  }
}
