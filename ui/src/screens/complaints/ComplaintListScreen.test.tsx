import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ComplaintFilter, ComplaintPage, ComplaintSummary } from "../../bindings";
import { SUMMARY, SUMMARY_2 } from "../../test/complaints";
import { fakeInvoke } from "../../test/fixtures";
import { callsOf, renderScreen } from "../../test/nav";
import { ComplaintListScreen, SEARCH_HINT } from "./ComplaintListScreen";

const NOTHING: ComplaintFilter = {
  status: null,
  channel: null,
  department: null,
  unit: null,
  received_from: null,
  received_to: null,
  overdue_only: false,
  text: null,
  limit: null,
};

/** A page holding `rows`, by default all there are. */
function page(rows: ComplaintSummary[], total = rows.length): ComplaintPage {
  return { rows, total, limit: 200 };
}

function setup() {
  const { invoke, api } = fakeInvoke({ complaint_page: () => page([SUMMARY, SUMMARY_2]) });
  const onSave = vi.fn();
  const { nav } = renderScreen(<ComplaintListScreen saved={null} onSave={onSave} />, api);
  return { invoke, nav, onSave };
}

describe("ComplaintListScreen", () => {
  it("loads with a complete, empty filter and opens a complaint from its row", async () => {
    const { invoke, nav } = setup();
    const rows = await screen.findAllByTestId("list-row");
    expect(rows).toHaveLength(2);
    expect(callsOf(invoke, "complaint_page")).toEqual([{ filter: NOTHING }]);
    expect(screen.getByTestId("list-count")).toHaveTextContent("共 2 件");
    expect(screen.queryByTestId("list-partial")).not.toBeInTheDocument();
    expect(screen.getByTestId("list-text")).toHaveAttribute("placeholder", SEARCH_HINT);
    fireEvent.click(rows[1]!);
    expect(nav.go).toHaveBeenCalledWith({ page: "complaint", id: "c-2" });
  });

  it("searches on Enter with every field of the filter, set ones filled in", async () => {
    const { invoke } = setup();
    await screen.findAllByTestId("list-row");
    fireEvent.mouseDown(screen.getByTestId("list-channel").querySelector(".ant-select-selector")!);
    fireEvent.click(await screen.findByTestId("option-letter"));
    fireEvent.click(screen.getByTestId("list-overdue"));
    fireEvent.change(screen.getByTestId("list-unit"), { target: { value: " 某局 " } });
    const text = screen.getByTestId("list-text");
    fireEvent.change(text, { target: { value: " 王五 " } });
    fireEvent.keyDown(text, { key: "Enter", code: "Enter", keyCode: 13 });
    await waitFor(() => expect(callsOf(invoke, "complaint_page")).toHaveLength(2));
    expect(callsOf(invoke, "complaint_page")[1]).toEqual({
      filter: { ...NOTHING, channel: "letter", overdue_only: true, unit: "某局", text: "王五" },
    });
  });

  it("重置 clears the search the person came back to, and lists everything again", async () => {
    const { invoke, api } = fakeInvoke({ complaint_page: () => page([SUMMARY]) });
    const saved = { values: { text: "王五", unit: "某局", overdue: true }, page: page([SUMMARY]) };
    renderScreen(<ComplaintListScreen saved={saved} onSave={vi.fn()} />, api);
    await screen.findAllByTestId("list-row");
    expect(screen.getByTestId("list-text")).toHaveValue("王五");
    fireEvent.click(screen.getByTestId("list-reset"));
    await waitFor(() => {
      const calls = callsOf(invoke, "complaint_page");
      expect(calls[calls.length - 1]).toEqual({ filter: NOTHING });
    });
    expect(screen.getByTestId("list-text")).toHaveValue("");
    expect(screen.getByTestId("list-unit")).toHaveValue("");
  });

  it("says the office's true total and that only the newest rows are shown", async () => {
    const { api } = fakeInvoke({ complaint_page: () => page([SUMMARY, SUMMARY_2], 301) });
    renderScreen(<ComplaintListScreen saved={null} onSave={vi.fn()} />, api);
    expect(await screen.findAllByTestId("list-row")).toHaveLength(2);
    expect(screen.getByTestId("list-count")).toHaveTextContent("共 301 件");
    expect(screen.getByTestId("list-partial")).toHaveTextContent("只显示最近收到的 2 件，请缩小查询范围");
  });
});
