import { createEffect, onCleanup, type Accessor } from 'solid-js'
import { activityTitle } from '../activity-progress.ts'

/** What the title needs of the document. */
export interface TitleDocument {
  title: string
  hidden: boolean
  addEventListener(type: 'visibilitychange', listener: () => void): void
  removeEventListener(type: 'visibilitychange', listener: () => void): void
}

/** The Badging API, where the browser has it (installed PWAs on Chromium, Safari). */
export interface BadgeNavigator {
  setAppBadge?(contents?: number): Promise<void>
  clearAppBadge?(): Promise<void>
}

/**
 * The page title and app badge as progress: "42% · Chiral" while something
 * moves, the badge only while the tab is hidden; both cleared when idle (the
 * badge also when the tab is shown again).
 */
export class ActivityTitle {
  private readonly doc: TitleDocument
  private readonly nav: BadgeNavigator
  private readonly base: string
  private percent: number | undefined = undefined
  private badged = false
  private readonly onVisibility = (): void => { this.badge() }

  constructor (doc: TitleDocument, nav: BadgeNavigator) {
    this.doc = doc
    this.nav = nav
    this.base = doc.title
    doc.addEventListener('visibilitychange', this.onVisibility)
  }

  update (percent: number | undefined): void {
    // progress events come per block: writing the same title again is not free (the browser process hears of each)
    if (percent === this.percent) return
    this.percent = percent
    this.doc.title = activityTitle(this.base, percent)
    this.badge()
  }

  dispose (): void {
    this.doc.removeEventListener('visibilitychange', this.onVisibility)
    this.update(undefined)
  }

  private badge (): void {
    if (this.percent != null && this.doc.hidden) {
      this.badged = true
      void this.nav.setAppBadge?.(this.percent)?.catch(() => {}) // not installed, or badges not allowed: the title says it
    } else if (this.badged) {
      this.badged = false
      void this.nav.clearAppBadge?.()?.catch(() => {})
    }
  }
}

/** Keep the title and badge on `percent`. Call inside a reactive owner. */
export function createActivityTitle (percent: Accessor<number | undefined>, doc: TitleDocument = document, nav: BadgeNavigator = navigator): void {
  const title = new ActivityTitle(doc, nav)
  createEffect(() => { title.update(percent()) })
  onCleanup(() => { title.dispose() })
}
