import type { ReactElement } from "react";
import { vi } from "vitest";
import type { Api } from "../api";
import { NavContext } from "../screens/complaints/nav";
import type { Nav } from "../screens/complaints/nav";
import { renderWithApi } from "./render";

/** Renders a complaint screen with a recording navigator. */
export function renderScreen(ui: ReactElement, api: Api) {
  const nav = { go: vi.fn<Nav["go"]>(), back: vi.fn<Nav["back"]>() };
  const result = renderWithApi(<NavContext.Provider value={nav}>{ui}</NavContext.Provider>, api);
  return { nav, ...result };
}

export function callsOf(invoke: { mock: { calls: unknown[][] } }, cmd: string): Array<Record<string, unknown>> {
  return invoke.mock.calls.filter((c) => c[0] === cmd).map((c) => c[1] as Record<string, unknown>);
}
