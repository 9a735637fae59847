/**
 * Where the installed app receives what another app shares (Web Share Target):
 * the service worker answers it; the relay answers it too, for a browser whose
 * worker is gone (cleared site data), so the person lands on the page with a
 * sentence instead of an HTTP error.
 */

/** The manifest's share_target.action: a POST of multipart/form-data. */
export const SHARE_TARGET_PATH = '/share-target'
/** The page the worker redirects to carries the pending share's id in this query parameter... */
export const SHARE_TARGET_PARAM = 'share-target'
/** ...or, when nothing could be kept, the reason (a SharedItemsReason) in this one. */
export const SHARE_TARGET_ERROR_PARAM = 'share-target-error'
