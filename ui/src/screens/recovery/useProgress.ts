// Progress of a long backup or restore, as the backend reports it on an event.
import { listen } from "@tauri-apps/api/event";
import { useEffect, useState } from "react";
import type { Progress } from "../../bindings";

/** The latest `Progress` sent on `event`, or null; `reset` clears it before a new run. */
export function useProgress(event: string): [Progress | null, () => void] {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    let unlisten: (() => void) | undefined;
    // Outside the desktop shell (tests) there is no event bus.
    listen<Progress>(event, (e) => setProgress(e.payload))
      .then((f) => {
        unlisten = f;
      })
      .catch(() => {});
    return () => unlisten?.();
  }, [event]);
  return [progress, () => setProgress(null)];
}

/** Percent for a progress bar; null when the total is not known (an indeterminate bar). */
export function percent(p: Progress): number | null {
  if (p.total === 0) return null;
  return Math.min(100, Math.round((p.done * 100) / p.total));
}
