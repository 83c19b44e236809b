// Renders a penalty screen with a recording navigator and the given posts.
import type { ReactElement } from "react";
import { vi } from "vitest";
import type { Api } from "../api";
import { PenaltyNavContext } from "../screens/penalty/nav";
import type { PenaltyNav } from "../screens/penalty/nav";
import { renderWithApi } from "./render";

export function renderPenalty(ui: ReactElement, api: Api, roles: string[] = ["case_management"]) {
  const nav = { go: vi.fn<PenaltyNav["go"]>(), back: vi.fn<PenaltyNav["back"]>(), roles };
  const result = renderWithApi(<PenaltyNavContext.Provider value={nav}>{ui}</PenaltyNavContext.Provider>, api);
  return { nav, ...result };
}
