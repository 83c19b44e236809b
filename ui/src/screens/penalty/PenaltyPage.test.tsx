// The execution page: lights in the flow, the unit's submission, the reviewer's approve and reject,
// payments as exact text, refusals shown with what was typed kept.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { PenaltyDetail } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { ADVANCED, CHECKLIST, PENALTY, SUBMITTED, SUBMITTED_FOR_UNIT } from "../../test/penalty";
import { renderPenalty, typeDate } from "../../test/penaltyNav";
import { PenaltyPage } from "./PenaltyPage";

function show(...pages: PenaltyDetail[]) {
  let n = 0;
  return () => pages[Math.min(n++, pages.length - 1)];
}

describe("PenaltyPage", () => {
  it("shows each item's light in the flow and the influence period", async () => {
    const { invoke, api } = fakeInvoke({ penalty_show: show(PENALTY) });
    renderPenalty(<PenaltyPage id="p-1" />, api);
    const nodes = await screen.findAllByTestId("flow-node");
    expect(callsOf(invoke, "penalty_show")).toEqual([{ id: "p-1" }]);
    expect(nodes.map((n) => n.getAttribute("data-light"))).toEqual(["green", "none", "none"]);
    expect(screen.getByTestId("item-title")).toHaveTextContent("1. 送达处分决定并抄送");
    expect(screen.getByTestId("item-light")).toHaveTextContent("正常");
    expect(screen.getByTestId("influence-span")).toHaveTextContent("2026-11-02 至 2028-05-01");
  });

  it("opens the person's page from their name", async () => {
    const { api } = fakeInvoke({ penalty_show: show(PENALTY) });
    const { nav } = renderPenalty(<PenaltyPage id="p-1" />, api);
    fireEvent.click(await screen.findByTestId("penalty-person"));
    expect(nav.go).toHaveBeenCalledWith({ page: "person", name: "李四", unit: "区教育局" });
  });

  it("submits the open item with its note and date; a refusal is shown and the note kept", async () => {
    let refuse = true;
    const { invoke, api } = fakeInvoke({
      penalty_show: show(PENALTY, SUBMITTED_FOR_UNIT),
      checklist_submit: () => (refuse ? reject("invalid", "办理日期早于处分决定日期，请核对。") : null),
    });
    renderPenalty(<PenaltyPage id="p-1" />, api, ["case_management"]);
    fireEvent.change(await screen.findByTestId("submit-note"), { target: { value: "已送达本人" } });
    fireEvent.click(screen.getByTestId("submit-item"));
    expect(await screen.findByTestId("submit-error")).toHaveTextContent("办理日期早于处分决定日期，请核对。");
    expect(screen.getByTestId("submit-note")).toHaveValue("已送达本人");
    const [call] = callsOf(invoke, "checklist_submit");
    expect(call).toMatchObject({ checklistId: "p-1", ord: 1, req: { note: "已送达本人", measures: null, result: null, files: [] } });
    expect((call!.req as { date: string }).date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    refuse = false;
    fireEvent.click(screen.getByTestId("submit-item"));
    await waitFor(() => expect(screen.getByTestId("item-status")).toHaveTextContent("待审核"));
    expect(screen.queryByTestId("review-card")).not.toBeInTheDocument();
    expect(screen.getByTestId("awaiting-review")).toBeInTheDocument();
  });

  it("lets trial approve, and the next item opens", async () => {
    const { invoke, api } = fakeInvoke({ penalty_show: show(SUBMITTED, ADVANCED), checklist_approve: () => null });
    renderPenalty(<PenaltyPage id="p-1" />, api, ["trial"]);
    expect(await screen.findByTestId("item-submissions")).toHaveTextContent("王五 提交：已送达本人");
    expect(screen.queryByTestId("submit-card")).not.toBeInTheDocument();
    fireEvent.change(screen.getByTestId("review-note"), { target: { value: "手续齐全" } });
    fireEvent.click(screen.getByTestId("review-approve"));
    await waitFor(() => expect(screen.getByTestId("item-title")).toHaveTextContent("2. 宣布处分决定"));
    expect(callsOf(invoke, "checklist_approve")).toEqual([{ checklistId: "p-1", ord: 1, note: "手续齐全", score: null }]);
    expect(screen.getAllByTestId("flow-node").map((n) => n.getAttribute("data-light"))).toEqual(["done", "yellow", "none"]);
  });

  it("asks for a note before rejecting, and shows the core's refusal of the submitter", async () => {
    const { invoke, api } = fakeInvoke({
      penalty_show: show(SUBMITTED),
      checklist_reject: () => reject("invalid", "提交人不能审核自己提交的事项，请由其他审核人员审核。"),
    });
    renderPenalty(<PenaltyPage id="p-1" />, api, ["trial"]);
    fireEvent.click(await screen.findByTestId("review-reject"));
    expect(await screen.findByTestId("review-error")).toHaveTextContent("驳回时请填写整改意见");
    expect(callsOf(invoke, "checklist_reject")).toHaveLength(0);
    fireEvent.change(screen.getByTestId("review-note"), { target: { value: "未附送达回证" } });
    fireEvent.click(screen.getByTestId("review-reject"));
    expect(await screen.findByTestId("review-error")).toHaveTextContent("提交人不能审核自己提交的事项");
    expect(callsOf(invoke, "checklist_reject")).toEqual([{ checklistId: "p-1", ord: 1, note: "未附送达回证" }]);
    expect(screen.getByTestId("review-note")).toHaveValue("未附送达回证");
  });

  it("records a payment as exact text and shows what remains; a bad amount is refused before sending", async () => {
    const open = {
      ...PENALTY,
      current_ord: 3,
      items: [
        PENALTY.items[0]!,
        PENALTY.items[1]!,
        { ...PENALTY.items[2]!, status: "open" as const, light: "green" as const, steps: ["submit" as const, "record_payment" as const] },
      ],
    };
    const paid = { ...open, items: [open.items[0]!, open.items[1]!, { ...open.items[2]!, amount_paid: "1200.50", amount_remaining: "2299.50" }] };
    const { invoke, api } = fakeInvoke({
      penalty_show: show(open, paid),
      checklist_pay: () => ({ amount_due: "3500.00", amount_paid: "1200.50", amount_remaining: "2299.50" }),
    });
    renderPenalty(<PenaltyPage id="p-1" />, api, ["case_management"]);
    expect(await screen.findByTestId("amount-remaining")).toHaveTextContent("3500.00 元");
    fireEvent.change(screen.getByTestId("pay-amount"), { target: { value: "12.345" } });
    fireEvent.click(screen.getByTestId("pay-submit"));
    expect(await screen.findByTestId("pay-error")).toHaveTextContent("最多两位小数");
    expect(callsOf(invoke, "checklist_pay")).toHaveLength(0);
    fireEvent.change(screen.getByTestId("pay-amount"), { target: { value: "1200.50" } });
    fireEvent.click(screen.getByTestId("pay-submit"));
    await waitFor(() => expect(screen.getByTestId("amount-remaining")).toHaveTextContent("2299.50 元"));
    expect(callsOf(invoke, "checklist_pay")[0]).toMatchObject({ checklistId: "p-1", ord: 3, amount: "1200.50" });
  });

  it("starts the reform-by-case list from the decision, with a due date and the person's unit", async () => {
    const list = { ...CHECKLIST, id: "r-9", title: "李四以案促改（五纪处〔2026〕1号）" };
    const { invoke, api } = fakeInvoke({ penalty_show: show(PENALTY), rectification_register: () => list });
    const { nav } = renderPenalty(<PenaltyPage id="p-1" />, api, ["supervision"]);
    fireEvent.click(await screen.findByTestId("reform-start"));
    // No date, no list: the form says so and the core is not asked.
    fireEvent.click(await screen.findByTestId("reform-confirm"));
    expect(await screen.findByText("请选择完成期限")).toBeInTheDocument();
    expect(callsOf(invoke, "rectification_register")).toHaveLength(0);
    typeDate("reform-due", "2099-12-31");
    fireEvent.click(screen.getByTestId("reform-confirm"));
    await waitFor(() => expect(nav.go).toHaveBeenCalledWith({ page: "rectification", id: "r-9", initial: list }));
    const [call] = callsOf(invoke, "rectification_register");
    expect(call).toMatchObject({
      form: { source: "reform_by_case", penalty_id: "p-1", due_date: "2099-12-31", responsible_unit: null, items: [], template: null },
    });
  });

  it("links the decision's reform list once there is one, with its progress", async () => {
    const reform = { id: "r-9", title: "李四以案促改（五纪处〔2026〕1号）", status: "open", items_done: 1, items_total: 5, guidance: 2 };
    const { api } = fakeInvoke({ penalty_show: show({ ...PENALTY, reform, may_start_reform: false }) });
    const { nav } = renderPenalty(<PenaltyPage id="p-1" />, api, ["supervision"]);
    expect(await screen.findByTestId("reform-progress")).toHaveTextContent("已完成 1 / 5 项，指导意见 2 条");
    expect(screen.queryByTestId("reform-start")).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId("reform-link"));
    expect(nav.go).toHaveBeenCalledWith({ page: "rectification", id: "r-9" });
  });
});
