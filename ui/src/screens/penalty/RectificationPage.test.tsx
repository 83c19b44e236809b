// 整改清单: the list's facts and score, each item's light in the flow, and the unit's submission
// with the measures taken and the result.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { CHECKLIST, item } from "../../test/penalty";
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

  it("names the decision a reform list follows, shows the guidance, and lets trial give more", async () => {
    let guidance = [{ date: "2026-11-20", text: "警示教育要通报到每个股室。", given_by: "刘审理" }];
    const page = () => ({
      ...CHECKLIST,
      title: "钱某某以案促改（五纪处〔2026〕1号）",
      source: "reform_by_case",
      sequential: true,
      max_score: null,
      total_score: null,
      reform_of: { penalty_id: "p-1", decision_number: "五纪处〔2026〕1号", person_name: "钱某某", person_unit: "区住建局" },
      items: [item({ ord: 1, title: "召开案情通报会，开展警示教育", status: "open", guidance, steps: ["guide"] })],
    });
    const { invoke, api } = fakeInvoke({
      rectification_show: page,
      checklist_guide: (args) => {
        const text = (args as { text: string }).text;
        guidance = [...guidance, { date: "2026-11-21", text, given_by: "刘审理" }];
        return null;
      },
    });
    const { nav } = renderPenalty(<RectificationPage id="r-1" />, api, ["trial"]);
    expect(await screen.findByTestId("item-guidance")).toHaveTextContent("2026-11-20 刘审理警示教育要通报到每个股室。");
    expect(screen.getByText("以案促改")).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("reform-of"));
    expect(nav.go).toHaveBeenCalledWith({ page: "penalty", id: "p-1" });
    // Empty guidance is stopped on the page; the core is not asked.
    fireEvent.click(screen.getByTestId("guide-submit"));
    expect(await screen.findByTestId("guide-error")).toHaveTextContent("请填写指导意见");
    expect(callsOf(invoke, "checklist_guide")).toHaveLength(0);
    fill("guide-text", "制度漏洞要逐条列出，附修订后的制度文本。");
    fireEvent.click(screen.getByTestId("guide-submit"));
    await waitFor(() => expect(screen.getByTestId("item-guidance")).toHaveTextContent("制度漏洞要逐条列出"));
    expect(callsOf(invoke, "checklist_guide")).toEqual([{ checklistId: "r-1", ord: 1, text: "制度漏洞要逐条列出，附修订后的制度文本。" }]);
  });

  it("offers no guidance form to a post the core does not offer it to", async () => {
    const { api } = fakeInvoke({ rectification_show: () => CHECKLIST });
    renderPenalty(<RectificationPage id="r-1" />, api, ["supervision"]);
    await screen.findAllByTestId("flow-node");
    expect(screen.queryByTestId("guide-card")).not.toBeInTheDocument();
  });
});
