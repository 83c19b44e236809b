// The execution board: the filter sent, counts by light, each row's light, opening a decision.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { BOARD, row } from "../../test/penalty";
import { renderPenalty } from "../../test/penaltyNav";
import { BoardScreen } from "./BoardScreen";

const ALL = { scope: "penalty", status: null, light: null, unit: null, text: null, limit: null };

describe("BoardScreen", () => {
  it("lists every decision with its current item and light, and counts by light", async () => {
    const { invoke, api } = fakeInvoke({ penalty_board: () => BOARD });
    const { nav } = renderPenalty(<BoardScreen scope="penalty" />, api);
    const rows = await screen.findAllByTestId("board-row");
    expect(rows).toHaveLength(2);
    expect(callsOf(invoke, "penalty_board")).toEqual([{ filter: ALL }]);
    expect(screen.getByTestId("board-red")).toHaveTextContent("1");
    expect(screen.getByTestId("board-green")).toHaveTextContent("1");
    expect(rows[0]).toHaveTextContent("五纪处〔2026〕3号");
    expect(rows[0]).toHaveTextContent("1. 送达处分决定并抄送");
    expect(within(rows[0]!).getByText("正常").className).toMatch(/ant-tag-green/);
    expect(rows[1]).toHaveTextContent("调整职务职级工资待遇");
    expect(rows[1]).toHaveTextContent("已驳回");
    expect(within(rows[1]!).getByText("已逾期").className).toMatch(/ant-tag-red/);
    expect(rows[1]).toHaveTextContent("3/9");
    fireEvent.click(rows[1]!);
    expect(nav.go).toHaveBeenCalledWith({ page: "penalty", id: "p-2" });
  });

  it("says whether a yellow item is near its date or idle, as the legend does", async () => {
    const idle = row({ id: "r-1", light: "yellow", current: { ...row().current!, light: "yellow", idle: true } });
    const near = row({ id: "r-2", light: "yellow", current: { ...row().current!, light: "yellow", idle: false } });
    const { api } = fakeInvoke({ penalty_board: () => ({ rows: [idle, near], counts: { green: 0, yellow: 2, red: 0 } }) });
    renderPenalty(<BoardScreen scope="rectification" />, api);
    const rows = await screen.findAllByTestId("board-row");
    expect(within(rows[0]!).getByText("久未办理").className).toMatch(/ant-tag-gold/);
    expect(within(rows[1]!).getByText("临近").className).toMatch(/ant-tag-gold/);
  });

  it("filters by light from the count cards and by text, unit and light together", async () => {
    const { invoke, api } = fakeInvoke({ penalty_board: () => BOARD });
    renderPenalty(<BoardScreen scope="penalty" />, api);
    await screen.findAllByTestId("board-row");
    fireEvent.click(screen.getByTestId("board-red"));
    await waitFor(() => expect(callsOf(invoke, "penalty_board")).toHaveLength(2));
    expect(callsOf(invoke, "penalty_board")[1]).toEqual({ filter: { ...ALL, light: "red" } });
    fireEvent.change(screen.getByTestId("board-unit"), { target: { value: " 教育局 " } });
    const text = screen.getByTestId("board-text");
    fireEvent.change(text, { target: { value: " 李四 " } });
    fireEvent.keyDown(text, { key: "Enter", code: "Enter", keyCode: 13 });
    await waitFor(() => expect(callsOf(invoke, "penalty_board")).toHaveLength(3));
    expect(callsOf(invoke, "penalty_board")[2]).toEqual({ filter: { ...ALL, light: "red", unit: "教育局", text: "李四" } });
  });

  it("offers 录入处分决定 only to posts that enter decisions, and shows refusals", async () => {
    const { api } = fakeInvoke({ penalty_board: () => reject("forbidden", "您没有“查看处分执行和整改清单”的权限。") });
    renderPenalty(<BoardScreen scope="penalty" />, api, ["petitions"]);
    expect(await screen.findByTestId("board-error")).toHaveTextContent("您没有“查看处分执行和整改清单”的权限。");
    expect(screen.queryByTestId("board-register")).not.toBeInTheDocument();
  });

  it("lists rectification lists with the rectification scope and opens one", async () => {
    const rect = { ...BOARD.rows[0]!, id: "r-1", scope: "rectification" as const, title: "2026年第一轮巡察反馈问题" };
    const { invoke, api } = fakeInvoke({ penalty_board: () => ({ rows: [rect], counts: BOARD.counts }) });
    const { nav } = renderPenalty(<BoardScreen scope="rectification" />, api, ["supervision"]);
    const rows = await screen.findAllByTestId("board-row");
    expect(callsOf(invoke, "penalty_board")).toEqual([{ filter: { ...ALL, scope: "rectification" } }]);
    expect(rows[0]).toHaveTextContent("2026年第一轮巡察反馈问题");
    fireEvent.click(rows[0]!);
    expect(nav.go).toHaveBeenCalledWith({ page: "rectification", id: "r-1" });
  });
});
