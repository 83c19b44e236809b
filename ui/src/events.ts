// Listening to the desktop shell's events from React effects without leaking a listener.
import { type EventCallback, listen } from "@tauri-apps/api/event";

/**
 * Starts listening to `event` and returns the function that stops it, for an effect's cleanup.
 * `listen` confirms the subscription later, over IPC; an effect that keeps the function it
 * resolves with has nothing to call if its screen closes first, and the handler then stays
 * registered (and keeps its screen's state alive) for the rest of the session. Here a stop that
 * comes first ends the subscription as soon as it is confirmed. Outside the desktop shell (tests
 * with no event bus) it listens to nothing.
 */
export function subscribe<T>(event: string, handler: EventCallback<T>): () => void {
  let stopped = false;
  let unlisten: (() => void) | undefined;
  listen<T>(event, handler)
    .then((f) => {
      if (stopped) f();
      else unlisten = f;
    })
    .catch(() => {});
  return () => {
    stopped = true;
    unlisten?.();
    unlisten = undefined;
  };
}
