// Listening to the desktop shell's events from React effects without leaking a listener.
import { type EventCallback, listen } from "@tauri-apps/api/event";

/**
 * Starts listening to `event` and returns the function that stops it, for an effect's cleanup.
 * `listen` confirms the subscription later, over IPC; an effect that keeps the function it
 * resolves with has nothing to call if its screen closes first, and the handler then stays
 * registered (and keeps its screen's state alive) for the rest of the session. Here a stop that
 * comes first ends the subscription as soon as it is confirmed. Outside the desktop shell (tests
 * with no event bus) it listens to nothing.
 *
 * The shell is given a wrapper, not the handler, and a stop lets go of the handler. Tauri 2.11
 * itself keeps a listener's callback for good when it is ended before the page has run the
 * script that records it, which happens when a screen is closed right after it opened (one
 * callback per visit to 同步, 数据迁移 or 备份 in the scripted session): the wrapper it keeps then
 * holds nothing of the closed screen.
 */
export function subscribe<T>(event: string, handler: EventCallback<T>): () => void {
  // Null once stopped: the stop and the handler's release are one state.
  let current: EventCallback<T> | null = handler;
  let unlisten: (() => void) | undefined;
  listen<T>(event, (e) => current?.(e))
    .then((f) => {
      if (current === null) f();
      else unlisten = f;
    })
    .catch(() => {});
  return () => {
    current = null;
    unlisten?.();
    unlisten = undefined;
  };
}
