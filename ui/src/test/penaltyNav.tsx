// Renders a penalty screen with a recording navigator and the given posts; form helpers.
import { fireEvent, screen } from "@testing-library/react";
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

/** Picks `value` in the antd Select carrying `testId` (options render `option-<value>`). */
export async function choose(testId: string, value: string) {
  fireEvent.mouseDown(screen.getByTestId(testId).querySelector(".ant-select-selector")!);
  fireEvent.click(await screen.findByTestId(`option-${value}`));
}

/** Types a date into the antd DatePicker input carrying `testId`, as a keyboard user would. */
export function typeDate(testId: string, value: string) {
  const input = screen.getByTestId(testId);
  fireEvent.mouseDown(input);
  fireEvent.click(input);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13 });
  fireEvent.blur(input);
}

export const fill = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
