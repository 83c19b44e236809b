// 工作台's to-do list: rows of every kind, the kind filter with counts, a row opening its record,
// the quarterly report recorded from its row, and the counts passed up for the menu.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { WORKLIST } from "../../test/desk";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { renderPenalty } from "../../test/penaltyNav";
import { WorklistCard } from "./WorklistCard";

describe("WorklistCard", () => {
  it("filters by kind, with each kind's count, and opens an execution item's decision", async () => {
    const onCounts = vi.fn();
    const { api } = fakeInvoke({ worklist: () => WORKLIST });
    const { nav } = renderPenalty(<WorklistCard onCounts={onCounts} />, api);
    expect(await screen.findAllByTestId("inbox-row")).toHaveLength(4);
    expect(onCounts).toHaveBeenCalledWith(WORKLIST);
    expect(screen.getByTestId("worklist-kind-complaint")).toHaveTextContent("检举控告2");
    fireEvent.click(screen.getByTestId("worklist-kind-execution"));
    const rows = await screen.findAllByTestId("inbox-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent("督促某县住建局办理并提交第 1 项");
    expect(rows[0]).toHaveTextContent("某县住建局（责任单位）");
    expect(within(rows[0]!).getByText("还有 30 个工作日").className).toMatch(/ant-tag-green/);
    fireEvent.click(rows[0]!);
    expect(nav.go).toHaveBeenCalledWith({ page: "penalty", id: "p-1" });
  });

  it("records the quarterly report from its row and reads the list again", async () => {
    const { api, invoke } = fakeInvoke({ worklist: () => WORKLIST, quarterly_report_submit: () => null });
    renderPenalty(<WorklistCard />, api, ["supervision"]);
    const rows = await screen.findAllByTestId("inbox-row");
    fireEvent.click(rows[3]!);
    fireEvent.change(await screen.findByTestId("quarterly-note"), { target: { value: "本季度办结 12 件" } });
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "quarterly_report_submit")).toHaveLength(1));
    const { form } = callsOf(invoke, "quarterly_report_submit")[0] as { form: Record<string, string> };
    expect(form).toMatchObject({ department: "supervision", quarter: "2026Q4", note: "本季度办结 12 件" });
    expect(form.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await waitFor(() => expect(callsOf(invoke, "worklist")).toHaveLength(2));
  });

  it("says why the report was refused and keeps the form open", async () => {
    const { api } = fakeInvoke({
      worklist: () => WORKLIST,
      quarterly_report_submit: () => reject("invalid", "2026Q4 到 2026-12-31 才结束，季度报告应在季度结束后报送。"),
    });
    renderPenalty(<WorklistCard />, api, ["supervision"]);
    fireEvent.click((await screen.findAllByTestId("inbox-row"))[3]!);
    fireEvent.click(await screen.findByTestId("modal-submit"));
    expect(await screen.findByTestId("modal-error")).toHaveTextContent("季度报告应在季度结束后报送");
    expect(screen.getByTestId("quarterly-note")).toBeInTheDocument();
  });

  it("shows an empty list in words", async () => {
    const { api } = fakeInvoke({ worklist: () => ({ ...WORKLIST, items: [], counts: [], total: 0, red: 0, yellow: 0 }) });
    renderPenalty(<WorklistCard />, api);
    expect(await screen.findByText("暂无待办事项")).toBeInTheDocument();
  });
});
