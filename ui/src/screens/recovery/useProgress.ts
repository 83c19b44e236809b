// Progress of a long backup or restore, as the backend reports it on an event.
import { useEffect, useState } from "react";
import type { Progress } from "../../bindings";
import { subscribe } from "../../events";

/** The latest `Progress` sent on `event`, or null; `reset` clears it before a new run. */
export function useProgress(event: string): [Progress | null, () => void] {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => subscribe<Progress>(event, (e) => setProgress(e.payload)), [event]);
  return [progress, () => setProgress(null)];
}

/** Percent for a progress bar; null when the total is not known (an indeterminate bar). */
export function percent(p: Progress): number | null {
  if (p.total === 0) return null;
  return Math.min(100, Math.round((p.done * 100) / p.total));
}
