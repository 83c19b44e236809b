// 整改清单: the list's facts and score, each item's light in the flow, and the unit's submission
// with the measures taken and the result.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { CHECKLIST } from "../../test/penalty";
import { fill, renderPenalty } from "../../test/penaltyNav";
import { RectificationPage } from "./RectificationPage";

describe("RectificationPage", () => {
  it("shows the list, its score, and every item with its light", async () => {
    const { invoke, api } = fakeInvoke({ rectification_show: () => CHECKLIST });
    renderPenalty(<RectificationPage id="r-1" />, api, ["trial"]);
    const nodes = await screen.findAllByTestId("flow-node");
    expect(callsOf(invoke, "rectification_show")).toEqual([{ id: "r-1" }]);
    expect(screen.getByTestId("rect-title")).toHaveTextContent("区住建局党组“两个责任”落实情况考核");
    expect(screen.getByText("“两个责任”考核")).toBeInTheDocument();
    expect(screen.getByText("同时办理")).toBeInTheDocument();
    expect(screen.getByText("18.00 / 20.00")).toBeInTheDocument();
    expect(nodes.map((n) => n.getAttribute("data-light"))).toEqual(["done", "red", "yellow"]);
    // The first item not yet approved is shown: overdue.
    expect(screen.getByTestId("item-title")).toHaveTextContent("2. 工程项目招投标监管不到位");
    expect(screen.getByTestId("item-light")).toHaveTextContent("已逾期");
  });

  it("lets supervision submit the measures taken and the result; a refusal keeps them", async () => {
    let refuse = true;
    const { invoke, api } = fakeInvoke({
      rectification_show: () => CHECKLIST,
      checklist_submit: () => (refuse ? reject("invalid", "请填写整改结果。") : null),
    });
    renderPenalty(<RectificationPage id="r-1" />, api, ["supervision"]);
    await screen.findByTestId("submit-measures");
    fill("submit-note", "已完成整改");
    fill("submit-measures", "修订招投标监管办法");
    fill("submit-result", "已印发执行");
    fireEvent.click(screen.getByTestId("submit-item"));
    expect(await screen.findByTestId("submit-error")).toHaveTextContent("请填写整改结果。");
    expect(screen.getByTestId("submit-measures")).toHaveValue("修订招投标监管办法");
    refuse = false;
    fireEvent.click(screen.getByTestId("submit-item"));
    await waitFor(() => expect(callsOf(invoke, "checklist_submit")).toHaveLength(2));
    expect(callsOf(invoke, "checklist_submit")[1]).toMatchObject({
      checklistId: "r-1",
      ord: 2,
      req: { note: "已完成整改", measures: "修订招投标监管办法", result: "已印发执行", files: [] },
    });
  });
});
