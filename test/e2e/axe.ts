import { AxeBuilder } from '@axe-core/playwright'
import axe from 'axe-core'
import { expect, type Page } from '@playwright/test'

/** Experimental rules (`label-content-name-mismatch` among them) are off in axe by default: switch every one on. */
export const EXPERIMENTAL_RULES = Object.fromEntries(axe.getRules(['experimental']).map(rule => [rule.ruleId, { enabled: true }]))

/** Every axe violation on the page as one readable line each: rule, where, and what to do. */
async function axeViolations (page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).options({ rules: EXPERIMENTAL_RULES }).analyze()
  return results.violations.flatMap(violation => violation.nodes.map(node =>
    `${violation.id} at ${node.target.join(' ')}: ${violation.help} (${node.failureSummary?.replace(/\s+/g, ' ') ?? ''})`))
}

/** No violation in the light scheme nor in the dark one (colour contrast differs); without transitions, so colours are final. */
export async function expectAccessible (page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' })
    expect(await axeViolations(page), `${colorScheme} scheme`).toEqual([])
  }
}
