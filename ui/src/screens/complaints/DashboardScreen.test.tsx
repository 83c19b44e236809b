import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { DASHBOARD } from "../../test/complaints";
import { chartProps, seriesOf } from "../../test/echart";
import { fakeInvoke } from "../../test/fixtures";
import { renderScreen } from "../../test/nav";
import { DashboardScreen } from "./DashboardScreen";

vi.mock("../../charts/EChart", () => import("../../test/echart"));

describe("DashboardScreen", () => {
  it("counts deadlines by light, lists them with countdowns and opens the complaint", async () => {
    const { api } = fakeInvoke({ dashboard: () => DASHBOARD });
    const { nav } = renderScreen(<DashboardScreen />, api);
    const rows = await screen.findAllByTestId("dash-row");
    expect(screen.getByTestId("dash-red")).toHaveTextContent("已逾期1");
    expect(screen.getByTestId("dash-yellow")).toHaveTextContent("临近2");
    expect(screen.getByTestId("dash-green")).toHaveTextContent("正常3");
    expect(seriesOf(chartProps(screen.getByTestId("dash-chart"))).data).toMatchObject([
      { name: "已逾期", value: 1 },
      { name: "临近", value: 2 },
      { name: "正常", value: 3 },
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("函询回复");
    expect(rows[0]).toHaveTextContent("2026-11-10");
    expect(rows[0]).toHaveTextContent("已逾期 8 个工作日");
    expect(rows[0]).toHaveTextContent("530102-2026-00002");
    expect(within(rows[0]!).getByText("已逾期").className).toMatch(/ant-tag-red/);
    expect(rows[1]).toHaveTextContent("剩 3 个工作日");
    expect(within(rows[1]!).getByText("临近").className).toMatch(/ant-tag-gold/);
    fireEvent.click(rows[0]!);
    expect(nav.go).toHaveBeenCalledWith({ page: "complaint", id: "c-2" });
  });

  it("shows office-wide duties without a complaint and does not try to open one", async () => {
    const first = DASHBOARD.items[0]!;
    const quarterly = {
      ...first,
      complaint_id: "",
      number: "",
      summary: "监督检查室向信访室报送2026年第4季度办结情况",
      deadline: { ...first.deadline, kind: "quarterly_report" as const, label: "季度办结情况报告" },
    };
    const { api } = fakeInvoke({ dashboard: () => ({ ...DASHBOARD, items: [quarterly] }) });
    const { nav } = renderScreen(<DashboardScreen />, api);
    const [row] = await screen.findAllByTestId("dash-row");
    expect(row).toHaveTextContent("（本部门）");
    expect(row).toHaveTextContent("季度办结情况报告");
    fireEvent.click(row!);
    expect(nav.go).not.toHaveBeenCalled();
  });

  it("shows only one light's deadlines after its card is clicked", async () => {
    const { api } = fakeInvoke({ dashboard: () => DASHBOARD });
    renderScreen(<DashboardScreen />, api);
    await screen.findAllByTestId("dash-row");
    fireEvent.click(screen.getByTestId("dash-red"));
    expect(screen.getAllByTestId("dash-row")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("dash-red"));
    expect(screen.getAllByTestId("dash-row")).toHaveLength(2);
  });
});
