// The progress hook's event subscription: a screen closed before the desktop shell confirms the
// subscription must still end it, or its handler stays registered for the rest of the day.
import { act, render } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

const bus = vi.hoisted(() => ({
  confirm: [] as Array<() => void>,
  unlistened: 0,
  listening: 0,
}));

vi.mock("@tauri-apps/api/event", () => ({
  // Like the shell's `listen`: the subscription is confirmed later, over IPC.
  listen: () =>
    new Promise<() => void>((resolve) => {
      bus.confirm.push(() => {
        bus.listening++;
        resolve(() => {
          bus.listening--;
          bus.unlistened++;
        });
      });
    }),
}));

import { useProgress } from "./useProgress";

function Probe() {
  useProgress("backup-progress");
  return null;
}

describe("useProgress", () => {
  beforeEach(() => {
    bus.confirm = [];
    bus.unlistened = 0;
    bus.listening = 0;
  });

  it("ends a subscription confirmed after the screen closed", async () => {
    const view = render(<Probe />);
    view.unmount();
    await act(async () => bus.confirm.forEach((c) => c()));
    expect(bus.listening).toBe(0);
    expect(bus.unlistened).toBe(1);
  });

  it("ends a confirmed subscription when the screen closes", async () => {
    const view = render(<Probe />);
    await act(async () => bus.confirm.forEach((c) => c()));
    expect(bus.listening).toBe(1);
    view.unmount();
    expect(bus.listening).toBe(0);
  });
});
