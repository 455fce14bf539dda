// Shared steps of the UI tests: screenshots (at 1280 x 720) and an axe-core check of the page. Screenshots
// go to test-results/screens; UPDATE_SCREENSHOTS=1 writes them into docs/screenshots (the README's
// pictures), so an ordinary test run leaves the checkout clean.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { expect } from './fixtures'

const SHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots' : '../../test-results/screens',
    import.meta.url,
  ),
)
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url))

/** Every screenshot is the app as a seller sees it on a 1280 x 720 screen, whatever the test's own window. */
export const SHOT_VIEWPORT = { width: 1280, height: 720 }

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  const before = page.viewportSize()
  await page.setViewportSize(SHOT_VIEWPORT)
  // Let the layout settle at the new size (virtualized tables measure their scroller).
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${SHOTS}/${name}.png` })
  if (before && (before.width !== SHOT_VIEWPORT.width || before.height !== SHOT_VIEWPORT.height))
    await page.setViewportSize(before)
}

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: string[] }>
}

/** Runs axe-core on the page; fails on any serious or critical violation, naming each one. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window)
  if (!loaded) await page.addScriptTag({ path: AXE })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: unknown[] }> } })
      .axe
    return (await axe.run(document)).violations
  })
  const bad = (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    )
  expect(bad).toEqual([])
}

export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
}
