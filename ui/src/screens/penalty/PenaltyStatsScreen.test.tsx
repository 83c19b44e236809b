// 执行统计: the figures computed from the core's counts, the rate tables, and the scope switch.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { PENALTY_STATS } from "../../test/penalty";
import { renderPenalty } from "../../test/penaltyNav";
import { PenaltyStatsScreen, percent } from "./PenaltyStatsScreen";

describe("PenaltyStatsScreen", () => {
  it("shows on-time and rejection rates, overdue items, and the rates by month and unit", async () => {
    const { invoke, api } = fakeInvoke({ penalty_stats: () => PENALTY_STATS });
    renderPenalty(<PenaltyStatsScreen />, api);
    expect(await screen.findByTestId("stats-on-time")).toHaveTextContent("75.0%");
    expect(callsOf(invoke, "penalty_stats")).toEqual([{ scope: "penalty" }]);
    expect(screen.getByTestId("stats-overdue")).toHaveTextContent("3");
    // 3 rejections in 22 reviews over both months.
    expect(screen.getByTestId("stats-rejection")).toHaveTextContent("13.6%");
    const month = screen.getByTestId("rate-month");
    expect(month).toHaveTextContent("2026-10");
    expect(month).toHaveTextContent("20.0%");
    expect(month).toHaveTextContent("8.3%");
    expect(screen.getByTestId("rate-unit")).toHaveTextContent("区教育局党组");
  });

  it("reads the rectification lists' figures when switched, and never divides by zero", async () => {
    const empty = {
      items_approved: 0,
      approved_on_time: 0,
      open_overdue: 0,
      by_month: [],
      by_unit: [],
      reform_lists: 2,
      reform_done: 1,
      guidance_given: 3,
      guidance_by_month: [{ month: "2026-11", count: 3 }],
    };
    const { invoke, api } = fakeInvoke({ penalty_stats: (args) => ((args as { scope: string }).scope === "penalty" ? PENALTY_STATS : empty) });
    renderPenalty(<PenaltyStatsScreen />, api);
    await screen.findByTestId("stats-on-time");
    expect(screen.queryByTestId("stats-reform")).not.toBeInTheDocument();
    fireEvent.click(screen.getByText("整改清单"));
    await waitFor(() => expect(callsOf(invoke, "penalty_stats")).toEqual([{ scope: "penalty" }, { scope: "rectification" }]));
    await waitFor(() => expect(screen.getByTestId("stats-on-time")).toHaveTextContent("—"));
    expect(screen.getByTestId("stats-rejection")).toHaveTextContent("—");
    // Reform by case (以案促改): its lists and 案件审理室's guidance, counted by month.
    expect(screen.getByTestId("stats-reform-lists")).toHaveTextContent("2");
    expect(screen.getByTestId("stats-guidance")).toHaveTextContent("3");
    expect(screen.getByTestId("stats-reform")).toHaveTextContent("2026年11月 3 条");
    expect(percent(1, 3)).toBe("33.3%");
  });
});
