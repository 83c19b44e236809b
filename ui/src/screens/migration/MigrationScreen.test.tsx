// 数据迁移: the file picked in the dialog shows its guessed mapping; an adjusted mapping is what
// the dry run and the import receive; the import is offered only after a clean dry run; bad rows
// are listed by row number; a refusal shows the core's message; nothing developer-facing shows.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FieldSpec, Mapping, MigrationFile, MigrationReport } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf, renderScreen } from "../../test/nav";
import { MigrationScreen } from "./MigrationScreen";

const FIELDS: FieldSpec[] = [
  { key: "original_number", label: "原编号", required: true, hint: "原平台的编号，用于查重和追溯" },
  { key: "received_date", label: "收到日期", required: true, hint: "日期" },
  { key: "summary", label: "摘要", required: true, hint: "不超过 100 个字" },
];

const GUESSED: Mapping = {
  kind: "complaints",
  name: "检举控告导入",
  columns: [
    { field: "original_number", header: "信访编号" },
    { field: "received_date", header: "收到日期" },
  ],
};

const FILE: MigrationFile = {
  path: "/home/officer/下载/原平台导出.xlsx",
  preview: {
    file_name: "原平台导出.xlsx",
    header_row: 1,
    headers: ["信访编号", "收到日期", "事由"],
    sample: [["XF-1", "2023-01-05", "反映问题"]],
    suggested: GUESSED,
    fields: FIELDS,
  },
  saved: [],
};

function report(over: Partial<MigrationReport>): MigrationReport {
  return {
    outcome: "dry_run",
    kind: "complaints",
    file_name: "原平台导出.xlsx",
    header_row: 1,
    headers: FILE.preview.headers,
    rows: 2,
    new_records: 2,
    already_imported: 0,
    changed_since: 0,
    problems: [],
    problem_count: 0,
    batch_id: null,
    ...over,
  };
}

describe("MigrationScreen", () => {
  it("checks the picked file with the adjusted mapping, then imports it", async () => {
    const { invoke, api } = fakeInvoke({
      migration_batches: () => [],
      migration_pick_file: () => FILE.path,
      migration_preview: () => FILE,
      migration_dry_run: () => report({}),
      migration_import: () => report({ outcome: "imported", batch_id: "b-1" }),
    });
    renderScreen(<MigrationScreen roles={["petitions"]} />, api);
    fireEvent.click(await screen.findByTestId("migration-pick"));
    expect(await screen.findByTestId("migration-file")).toHaveTextContent("原平台导出.xlsx（第 1 行为表头，共 3 列）");
    expect(screen.getByTestId("migration-field-original_number")).toHaveTextContent("信访编号");
    expect(screen.getByTestId("migration-import")).toBeDisabled();

    // 摘要 was not guessed: the officer picks the column 事由 for it.
    const select = screen.getByTestId("migration-column-summary").querySelector("input")!;
    fireEvent.mouseDown(select);
    fireEvent.click(await screen.findByTitle("事由"));
    fireEvent.click(screen.getByTestId("migration-dry-run"));
    expect(await screen.findByTestId("migration-result")).toHaveTextContent("试运行完成（未写入任何记录）");
    const sent = callsOf(invoke, "migration_dry_run")[0]!;
    expect(sent.path).toBe(FILE.path);
    expect((sent.mapping as Mapping).columns).toContainEqual({ field: "summary", header: "事由" });

    fireEvent.click(screen.getByTestId("migration-import"));
    await waitFor(() => expect(screen.getByTestId("migration-result")).toHaveTextContent("导入完成"));
    expect(screen.getByTestId("migration-result")).toHaveTextContent("新记录 2 条");
    expect(callsOf(invoke, "migration_import")).toHaveLength(1);
    expect(screen.getByTestId("page-migration").textContent).not.toMatch(/b-1|original_number|complaints|\/home/);
  });

  it("lists bad rows by row number and keeps the import closed", async () => {
    const { api } = fakeInvoke({
      migration_batches: () => [],
      migration_pick_file: () => FILE.path,
      migration_preview: () => FILE,
      migration_dry_run: () =>
        report({
          problems: [{ row: 3, column: "收到日期", reason: "日期“05/01/2023”把年份写在最后，无法确定哪个是月、哪个是日。" }],
          problem_count: 1,
          new_records: 1,
        }),
    });
    renderScreen(<MigrationScreen roles={["petitions"]} />, api);
    fireEvent.click(await screen.findByTestId("migration-pick"));
    fireEvent.click(await screen.findByTestId("migration-dry-run"));
    const rows = await screen.findAllByTestId("migration-problem");
    expect(rows[0]).toHaveTextContent("第 3 行");
    expect(rows[0]).toHaveTextContent("把年份写在最后");
    expect(screen.getByTestId("migration-result")).toHaveTextContent("有问题的行 1 行");
    expect(screen.getByTestId("migration-import")).toBeDisabled();
  });

  it("shows the core's refusal of a file in its own words", async () => {
    const { api } = fakeInvoke({
      migration_batches: () => [],
      migration_pick_file: () => FILE.path,
      migration_preview: () => reject("invalid", "文件“原平台导出.xlsx”中有合并单元格（F2:F3）。请取消合并后再导入。"),
    });
    renderScreen(<MigrationScreen roles={["petitions"]} />, api);
    fireEvent.click(await screen.findByTestId("migration-pick"));
    expect(await screen.findByTestId("migration-error")).toHaveTextContent("合并单元格（F2:F3）");
  });

  it("saves the mapping by name and lists past imports", async () => {
    const { invoke, api } = fakeInvoke({
      migration_batches: () => [
        { batch_id: "b-1", kind: "complaints", file_name: "2019年.xlsx", mapping_name: "原信访平台", rows: 120, imported: 118, skipped: 2, date: "2026-12-07" },
      ],
      migration_pick_file: () => FILE.path,
      migration_preview: () => FILE,
      migration_save_mapping: (args) => [(args as { mapping: Mapping }).mapping],
    });
    renderScreen(<MigrationScreen roles={["petitions"]} />, api);
    expect(await screen.findByTestId("migration-batch")).toHaveTextContent("2019年.xlsx");
    expect(screen.getByTestId("migration-batch")).toHaveTextContent("检举控告");
    fireEvent.click(screen.getByTestId("migration-pick"));
    const name = await screen.findByTestId("migration-mapping-name");
    fireEvent.change(name, { target: { value: " 原信访平台 " } });
    fireEvent.click(screen.getByTestId("migration-save-mapping"));
    expect(await screen.findByTestId("migration-notice")).toHaveTextContent("已保存列对应关系“原信访平台”");
    expect((callsOf(invoke, "migration_save_mapping")[0]!.mapping as Mapping).name).toBe("原信访平台");
  });

  it("offers the kinds the officer's posts enter and previews the file as the kind chosen", async () => {
    const penalties: MigrationFile = {
      ...FILE,
      preview: { ...FILE.preview, suggested: { ...GUESSED, kind: "penalties", name: "处分决定导入" } },
    };
    const { invoke, api } = fakeInvoke({
      migration_batches: () => [],
      migration_pick_file: () => FILE.path,
      migration_preview: (args) => ((args as { kind: string }).kind === "penalties" ? penalties : FILE),
    });
    renderScreen(<MigrationScreen roles={["petitions", "trial"]} />, api);
    const kinds = await screen.findByTestId("migration-kind");
    expect(kinds).toHaveTextContent("检举控告");
    expect(kinds).toHaveTextContent("处分决定");
    // 整改清单 is entered by supervision or case management, neither of this officer's posts.
    expect(kinds).not.toHaveTextContent("整改清单");
    fireEvent.click(screen.getByText("处分决定"));
    expect(screen.getByTestId("migration-about")).toHaveTextContent("处分决定及各执行事项的办理情况");
    fireEvent.click(screen.getByTestId("migration-pick"));
    expect(await screen.findByTestId("migration-file")).toBeInTheDocument();
    expect(callsOf(invoke, "migration_preview")[0]!.kind).toBe("penalties");
    expect(screen.getByTestId("page-migration").textContent).not.toMatch(/penalties|complaints/);
  });

  it("shows a trial officer only penalty decisions, without a choice to make", async () => {
    const { invoke, api } = fakeInvoke({
      migration_batches: () => [],
      migration_pick_file: () => FILE.path,
      migration_preview: () => FILE,
    });
    renderScreen(<MigrationScreen roles={["trial"]} />, api);
    expect(await screen.findByTestId("migration-about")).toHaveTextContent("处分决定");
    expect(screen.queryByTestId("migration-kind")).toBeNull();
    fireEvent.click(screen.getByTestId("migration-pick"));
    await screen.findByTestId("migration-file");
    expect(callsOf(invoke, "migration_preview")[0]!.kind).toBe("penalties");
  });

  it("offers case management both the decisions and the rectification lists", async () => {
    const { invoke, api } = fakeInvoke({
      migration_batches: () => [],
      migration_pick_file: () => FILE.path,
      migration_preview: () => FILE,
    });
    renderScreen(<MigrationScreen roles={["case_management"]} />, api);
    const kinds = await screen.findByTestId("migration-kind");
    expect(kinds).toHaveTextContent("处分决定");
    expect(kinds).not.toHaveTextContent("检举控告");
    fireEvent.click(screen.getByText("整改清单"));
    expect(screen.getByTestId("migration-about")).toHaveTextContent("每个问题一行");
    fireEvent.click(screen.getByTestId("migration-pick"));
    await screen.findByTestId("migration-file");
    expect(callsOf(invoke, "migration_preview")[0]!.kind).toBe("rectifications");
  });
});
