// 综合分析: the period sent for each kind, the figures and the first page shown, saving as PDF
// or Word, a thematic report needing its category, and the core's refusal shown in Chinese.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import type { AnalysisPreview, CatalogueView } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { renderWithApi } from "../../test/render";
import { AnalysisScreen, periodOf } from "./AnalysisScreen";

const CATALOGUE: CatalogueView = {
  title: "检举控告重点问题目录",
  version: 2,
  effective: "2026-10-01",
  note: "",
  builtin: false,
  categories: [
    { code: "integrity", name: "违反廉洁纪律" },
    { code: "integrity_dining", name: "违规吃喝", parent: "integrity" },
  ],
  versions: [
    { version: 2, title: "检举控告重点问题目录", effective: "2026-10-01", builtin: false },
    { version: 1, title: "检举控告重点问题目录", effective: "2026-01-01", builtin: true },
  ],
};

const PREVIEW: AnalysisPreview = {
  report: {
    office_name: "五华区纪委监委",
    kind_label: "综合分析",
    title: "关于2026年第三季度检举控告情况的综合分析报告",
    period_label: "2026年第三季度",
    from: "2026-07-01",
    to: "2026-09-30",
    theme: null,
    unit: null,
    generated_on: "2026年10月8日",
    catalogue_title: "检举控告重点问题目录",
    catalogue_version: 2,
    total: 37,
    concluded: 21,
    by_channel: [],
    by_category: [],
    by_key_problem: [],
    by_unit: [],
    by_disposal: [],
    by_status: [],
    by_month: [],
    with_deadlines: 30,
    overdue: 4,
    overdue_per_mille: 133,
    penalties: 3,
    penalties_by_kind: [],
    rectification_lists: 2,
    rectification_done: 1,
    rectification_items: 9,
    rectification_items_done: 6,
    rectification_items_overdue: 1,
    sections: [{ heading: "一、基本情况", paragraphs: ["2026年第三季度，五华区纪委监委共受理检举控告37件。"] }],
  },
  first_page: "iVBORw0KGgo=",
  pages: 4,
};

describe("AnalysisScreen", () => {
  it("names the period of each kind by its first and last day", () => {
    const d = dayjs("2026-08-15");
    expect(periodOf("month", d)).toEqual(["2026-08-01", "2026-08-31"]);
    expect(periodOf("quarter", d)).toEqual(["2026-07-01", "2026-09-30"]);
    expect(periodOf("year", d)).toEqual(["2026-01-01", "2026-12-31"]);
    expect(periodOf("quarter", dayjs("2026-12-02"))).toEqual(["2026-10-01", "2026-12-31"]);
  });

  it("shows the catalogue, the figures and the first page, and saves PDF and Word", async () => {
    const { invoke, api } = fakeInvoke({
      catalogue_current: () => CATALOGUE,
      analysis_preview: () => PREVIEW,
      analysis_save: () => "/home/kk/报告.docx",
    });
    renderWithApi(<AnalysisScreen />, api);
    expect(await screen.findByText(/第 2 版，省级平台发布/)).toBeInTheDocument();
    // The quarter reads as officers write it, not as Ant Design's "2026-Q3".
    const picker = screen.getByTestId("analysis-period");
    const period = (picker instanceof HTMLInputElement ? picker : picker.querySelector("input"))!;
    expect(period.value).toMatch(/^\d{4}年第[1-4]季度$/);
    fireEvent.click(screen.getByTestId("analysis-generate"));
    expect(await screen.findByText(PREVIEW.report.title)).toBeInTheDocument();
    expect(screen.getByText("共 4 页", { exact: false })).toBeInTheDocument();
    expect(screen.getByText(/共受理检举控告37件/)).toBeInTheDocument();
    const [, args] = invoke.mock.calls.find(([cmd]) => cmd === "analysis_preview")!;
    const req = (args as { request: { from: string; to: string; theme: string | null } }).request;
    expect(req.theme).toBeNull();
    expect(periodOf("quarter", dayjs(req.from))).toEqual([req.from, req.to]);
    fireEvent.click(screen.getByTestId("analysis-save-docx"));
    await waitFor(() =>
      expect(invoke.mock.calls.some(([cmd, a]) => cmd === "analysis_save" && (a as { format: string }).format === "docx")).toBe(true),
    );
    expect(document.body.textContent).not.toMatch(/[a-z_]{6,}/);
  });

  it("asks for the category of a thematic report and shows the core's refusal", async () => {
    const { invoke, api } = fakeInvoke({
      catalogue_current: () => CATALOGUE,
      analysis_preview: () => reject("invalid", "起始日期 2026-10-01 晚于截止日期 2026-09-01，请调整。"),
    });
    renderWithApi(<AnalysisScreen />, api);
    await screen.findByText(/第 2 版/);
    fireEvent.mouseDown(screen.getByTestId("analysis-scope").querySelector("input")!);
    fireEvent.click(await screen.findByText("专题：问题类别"));
    fireEvent.click(screen.getByTestId("analysis-generate"));
    expect(await screen.findByText("请选择专题分析的问题类别。")).toBeInTheDocument();
    expect(invoke.mock.calls.some(([cmd]) => cmd === "analysis_preview")).toBe(false);
    fireEvent.mouseDown(screen.getByTestId("analysis-scope").querySelector("input")!);
    fireEvent.click(await screen.findByTestId("option-all"));
    fireEvent.click(screen.getByTestId("analysis-generate"));
    expect(await screen.findByText(/晚于截止日期/)).toBeInTheDocument();
  });
});
