// 执行审核: items waiting for review with who may review them; a row opens its decision or list.
import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { QUEUE } from "../../test/penalty";
import { renderPenalty } from "../../test/penaltyNav";
import { ReviewQueueScreen } from "./ReviewQueueScreen";

const RECT_ROW = {
  ...QUEUE[0]!,
  checklist_id: "r-1",
  scope: "rectification" as const,
  checklist_title: "2026年第一轮巡察反馈问题整改",
  ord: 2,
  title: "公务用车管理不规范",
  responsible_unit: "区住建局",
  light: "red" as const,
  can_review: false,
};

describe("ReviewQueueScreen", () => {
  it("lists each submitted item with its light and whether this user may review it", async () => {
    const { api } = fakeInvoke({ penalty_review_queue: () => [...QUEUE, RECT_ROW] });
    renderPenalty(<ReviewQueueScreen />, api, ["trial"]);
    const rows = await screen.findAllByTestId("queue-row");
    expect(screen.getByTestId("queue-count")).toHaveTextContent("共 2 项待审核");
    expect(rows[0]).toHaveTextContent("1. 送达处分决定并抄送");
    expect(rows[0]).toHaveTextContent("王五");
    expect(rows[0]).toHaveTextContent("可审核");
    expect(rows[1]).toHaveTextContent("2. 公务用车管理不规范");
    expect(rows[1]).toHaveTextContent("须由他人审核");
    expect(rows[1]!.querySelector("[data-light]")).toHaveAttribute("data-light", "red");
  });

  it("opens a decision's item on its page and a rectification item on its list", async () => {
    const { api } = fakeInvoke({ penalty_review_queue: () => [...QUEUE, RECT_ROW] });
    const { nav } = renderPenalty(<ReviewQueueScreen />, api, ["trial"]);
    const rows = await screen.findAllByTestId("queue-row");
    fireEvent.click(rows[0]!);
    expect(nav.go).toHaveBeenLastCalledWith({ page: "penalty", id: "p-1" });
    fireEvent.keyDown(rows[1]!, { key: "Enter" });
    expect(nav.go).toHaveBeenLastCalledWith({ page: "rectification", id: "r-1" });
  });

  it("shows a refusal", async () => {
    const { api } = fakeInvoke({ penalty_review_queue: () => reject("forbidden", "您没有“查看处分执行和整改清单”的权限。") });
    renderPenalty(<ReviewQueueScreen />, api, ["admin"]);
    expect(await screen.findByText("您没有“查看处分执行和整改清单”的权限。")).toBeInTheDocument();
  });
});
