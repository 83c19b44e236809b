// The event subscription lets go of its screen's handler when stopped, even where the shell keeps
// the callback it was given (Tauri does when the stop comes right after the subscription).
import { describe, expect, it, vi } from "vitest";

const bus = vi.hoisted(() => ({ kept: [] as Array<(e: unknown) => void> }));

vi.mock("@tauri-apps/api/event", () => ({
  // Like the shell when its own unlisten loses the race: the callback stays registered.
  listen: (_event: string, callback: (e: unknown) => void) => {
    bus.kept.push(callback);
    return Promise.resolve(() => {});
  },
}));

import { subscribe } from "./events";

describe("subscribe", () => {
  it("passes events on while subscribed and drops the handler once stopped", async () => {
    const handler = vi.fn();
    const stop = subscribe("backup-progress", handler);
    await Promise.resolve();
    bus.kept[0]?.({ payload: 1 });
    expect(handler).toHaveBeenCalledTimes(1);
    stop();
    bus.kept[0]?.({ payload: 2 });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
