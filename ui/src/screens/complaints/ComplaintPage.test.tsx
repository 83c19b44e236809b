import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ComplaintActionKind, ComplaintDetail } from "../../bindings";
import { DEADLINES, DETAIL, PENDING_DETAIL, detailWith } from "../../test/complaints";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf, renderScreen } from "../../test/nav";
import { MODAL_MSG } from "./ActionModal";
import { todayIso } from "./common";
import { ComplaintPage } from "./ComplaintPage";
import { MSG_PURPOSE } from "./RevealReporterModal";

type Handlers = Parameters<typeof fakeInvoke>[0];

const ALL_ACTIONS: ComplaintActionKind[] = [
  "screen",
  "notify_acceptance",
  "record_forwarded",
  "request_return",
  "request_disposal",
  "decide_approval",
  "record_inquiry_reply",
  "conclude",
  "record_feedback",
  "record_objection",
  "reveal_reporter",
  "record_case_milestone",
  "start_detention",
  "extend_detention",
  "end_detention",
  "request_assignment",
  "request_lateral",
  "request_supervision",
  "report_result",
  "request_detention",
  "request_detention_extension",
  "accept_result",
  "return_result",
];

const AFTER_SCREEN = detailWith(
  { actions: [] },
  { status: "with_department", status_label: "已移送承办部门", department: "investigation" },
);

function setup(detail: ComplaintDetail = DETAIL, handlers: Handlers = {}) {
  const { invoke, api } = fakeInvoke({ complaint_show: () => detail, ...handlers });
  const { nav } = renderScreen(<ComplaintPage id={detail.summary.id} />, api);
  return { invoke, nav };
}

const fill = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

async function choose(selectTestId: string, value: string) {
  fireEvent.mouseDown(screen.getByTestId(selectTestId).querySelector(".ant-select-selector")!);
  fireEvent.click(await screen.findByTestId(`option-${value}`));
}

describe("ComplaintPage", () => {
  it("shows the header and exactly the buttons listed in actions", async () => {
    setup();
    expect(await screen.findByTestId("complaint-number")).toHaveTextContent("530102-2026-00001");
    expect(screen.getByTestId("complaint-status")).toHaveTextContent("待筛选");
    expect(screen.getByTestId("complaint-reporter")).toHaveTextContent("实名（身份已屏蔽）（电话核实）");
    expect(screen.getByTestId("complaint-content")).toHaveTextContent("收受管理服务对象礼金");
    expect(screen.getByTestId("complaint-timeline")).toHaveTextContent("李信访");
    expect(screen.getByText("王五")).toBeInTheDocument();
    const shown = ALL_ACTIONS.filter((k) => screen.queryByTestId(`action-${k}`));
    expect(shown).toEqual(["screen", "reveal_reporter"]);
    expect(screen.getByTestId("action-screen")).toHaveTextContent("筛选");
  });

  it("shows no step at all when the viewer may do nothing", async () => {
    setup(detailWith({ actions: [], can_reveal_reporter: false }));
    await screen.findByTestId("complaint-number");
    expect(ALL_ACTIONS.filter((k) => screen.queryByTestId(`action-${k}`))).toEqual([]);
    expect(screen.getByTestId("complaint-actions")).toHaveTextContent("当前没有需要您办理的事项");
  });

  it("renders each deadline with its countdown and light colour", async () => {
    setup(detailWith({ deadlines: DEADLINES }));
    const rows = await screen.findAllByTestId("deadline-row");
    expect(rows).toHaveLength(5);
    const [notice, feedback, reply, up, down] = rows as [HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    expect(notice).toHaveTextContent("受理告知");
    expect(notice).toHaveTextContent("2026-11-23");
    expect(notice).toHaveTextContent("剩 3 个工作日");
    expect(notice).toHaveTextContent("自 2026-11-02 起 15 个工作日");
    expect(within(notice).getByText("临近").className).toMatch(/ant-tag-gold/);
    expect(feedback).toHaveTextContent("已逾期 4 个工作日");
    expect(within(feedback).getByText("已逾期").className).toMatch(/ant-tag-red/);
    expect(reply).toHaveTextContent("剩 40 个工作日");
    expect(within(reply).getByText("正常").className).toMatch(/ant-tag-green/);
    expect(reply).toHaveTextContent("暂定：日历未收录该年");
    expect(notice).not.toHaveTextContent("暂定");
    expect(up).toHaveTextContent("已完成");
    expect(down).toHaveTextContent("已取消");
    // Said once, by the tag; the countdown says when instead.
    expect(up.textContent?.match(/已完成/g)).toHaveLength(1);
    expect(within(up).getByTestId("deadline-countdown")).toHaveTextContent(/^完成于 \d{4}-\d{2}-\d{2}$/);
    expect(screen.getByTestId("complaint-deadlines")).toHaveTextContent("3 项未完成");
  });

  it("screens as accepted and transferred, then shows the page the command returned", async () => {
    const { invoke } = setup(DETAIL, { complaint_screen: () => AFTER_SCREEN });
    fireEvent.click(await screen.findByTestId("action-screen"));
    await choose("screen-outcome", "accept_transfer");
    await choose("screen-department", "investigation");
    fill("screen-reason", "  属本机关管辖 ");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_screen")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_screen")[0]).toEqual({
      id: "c-1",
      req: { outcome: "accept_transfer", department: "investigation", reason: "属本机关管辖", refer_to: null, repeat_of: null },
    });
    await waitFor(() => expect(screen.getByTestId("complaint-status")).toHaveTextContent("已移送承办部门"));
    expect(await screen.findByText("筛选结果已保存")).toBeInTheDocument();
    expect(screen.queryByTestId("action-screen")).not.toBeInTheDocument();
  });

  it("keeps the modal and what was entered when the backend refuses", async () => {
    const { invoke } = setup(DETAIL, {
      complaint_screen: () => reject("invalid", "不予受理须写明应向何处反映（告知检举人去向）。"),
    });
    fireEvent.click(await screen.findByTestId("action-screen"));
    await choose("screen-outcome", "not_accepted");
    fill("screen-refer-to", "区人民法院");
    fill("screen-reason", "已进入诉讼程序");
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByTestId("modal-error")).toHaveTextContent("不予受理须写明应向何处反映");
    expect(screen.getByTestId("screen-reason")).toHaveValue("已进入诉讼程序");
    expect(callsOf(invoke, "complaint_screen")[0]!.req).toEqual({
      outcome: "not_accepted",
      department: null,
      reason: "已进入诉讼程序",
      refer_to: "区人民法院",
      repeat_of: null,
    });
  });

  it("refuses an approval only with a comment, sending id, approvalId, granted and comment", async () => {
    const { invoke } = setup(PENDING_DETAIL, { approval_decide: () => detailWith({ actions: [] }) });
    fireEvent.click(await screen.findByTestId("action-decide_approval"));
    expect(await screen.findByTestId("decide-approval")).toHaveTextContent("经室务会集体研究");
    fireEvent.click(screen.getByTestId("decide-refuse"));
    expect(await screen.findByText(MODAL_MSG.refuseComment)).toBeInTheDocument();
    expect(callsOf(invoke, "approval_decide")).toHaveLength(0);
    fill("decide-comment", " 证据不足，请补充 ");
    fireEvent.click(screen.getByTestId("decide-refuse"));
    await waitFor(() => expect(callsOf(invoke, "approval_decide")).toHaveLength(1));
    expect(callsOf(invoke, "approval_decide")[0]).toEqual({
      id: "c-1",
      approvalId: "a-1",
      granted: false,
      comment: "证据不足，请补充",
    });
  });

  it("grants an approval without a comment", async () => {
    const { invoke } = setup(PENDING_DETAIL, { approval_decide: () => detailWith({ actions: [] }) });
    fireEvent.click(await screen.findByTestId("action-decide_approval"));
    fireEvent.click(await screen.findByTestId("decide-grant"));
    await waitFor(() => expect(callsOf(invoke, "approval_decide")).toHaveLength(1));
    expect(callsOf(invoke, "approval_decide")[0]).toEqual({ id: "c-1", approvalId: "a-1", granted: true, comment: "" });
  });

  it("asks for an inquiry letter's date when proposing 谈话函询", async () => {
    const { invoke } = setup(detailWith({ actions: ["request_disposal"] }), {
      complaint_request_approval: () => PENDING_DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-request_disposal"));
    await choose("disposal-method", "inquiry");
    expect(await screen.findByTestId("disposal-letter-date")).toHaveValue(todayIso());
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByText(MODAL_MSG.disposalReason)).toBeInTheDocument();
    fill("disposal-reason", "室务会研究，拟谈话函询");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_request_approval")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_request_approval")[0]).toEqual({
      id: "c-1",
      request: { action: "dispose", method: "inquiry", letter_date: todayIso() },
      reason: "室务会研究，拟谈话函询",
    });
  });

  it("assigns to an office below: asks for the office and the reason, sends the period given", async () => {
    const targets = [{ code: "530102", name: "五华区纪委监委" }];
    const { invoke } = setup(detailWith({ actions: ["screen", "request_assignment"], assign_targets: targets }), {
      complaint_request_approval: () => PENDING_DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-request_assignment"));
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByText(MODAL_MSG.toOffice)).toBeInTheDocument();
    expect(screen.getByText(MODAL_MSG.assignReason)).toBeInTheDocument();
    await choose("assign-to", "530102");
    fill("report-days", "20");
    fill("directive-reason", "属县管干部，请依规处理并报告结果");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_request_approval")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_request_approval")[0]).toEqual({
      id: DETAIL.summary.id,
      request: { action: "assign", to_office: "530102", report_days: 20 },
      reason: "属县管干部，请依规处理并报告结果",
    });
  });

  it("hands over laterally to a sibling picked by name from offices grouped by level", async () => {
    const panlong = {
      code: "530103",
      name: "盘龙区纪委监委",
      short_name: "盘",
      level: "county" as const,
      level_label: "县级",
      unit: "office" as const,
      unit_label: "纪委监委",
      parent_code: "530100",
      parent_name: "昆明市纪委监委",
    };
    const targets = { report_upward: [], transfer_downward: [], assign: [], lateral: [panlong] };
    const { invoke } = setup(detailWith({ actions: ["screen", "request_lateral"], handover_targets: targets }), {
      complaint_request_approval: () => PENDING_DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-request_lateral"));
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByText(MODAL_MSG.lateralTo)).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByTestId("lateral-to").querySelector(".ant-select-selector")!);
    const option = await screen.findByTestId("option-530103");
    // By name, never by code; under its level.
    expect(option).toHaveTextContent("盘龙区纪委监委");
    expect(option).not.toHaveTextContent("530103");
    expect(screen.getAllByText("县级").length).toBeGreaterThan(0);
    fireEvent.click(option);
    fill("lateral-reason", "被反映人系盘龙区管理的干部");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_request_approval")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_request_approval")[0]).toEqual({
      id: DETAIL.summary.id,
      request: { action: "lateral", to_office: "530103" },
      reason: "被反映人系盘龙区管理的干部",
    });
  });

  it("reports upward to the office above offered by the directory, chosen already when it is the only one", async () => {
    const kunming = {
      code: "530100",
      name: "昆明市纪委监委",
      short_name: "昆",
      level: "prefecture" as const,
      level_label: "州市级",
      unit: "office" as const,
      unit_label: "纪委监委",
      parent_code: "530000",
      parent_name: "云南省纪委监委",
    };
    const targets = { report_upward: [kunming], transfer_downward: [], assign: [], lateral: [] };
    const { invoke } = setup(detailWith({ actions: ["screen"], handover_targets: targets }), {
      complaint_screen: () => DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-screen"));
    await choose("screen-outcome", "report_upward");
    expect(await screen.findByTestId("screen-refer-office")).toHaveTextContent("昆明市纪委监委");
    expect(screen.queryByTestId("screen-refer-to")).toBeNull();
    fill("screen-reason", "涉及市管干部");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_screen")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_screen")[0]).toMatchObject({
      req: { outcome: "report_upward", refer_to: "530100" },
    });
  });

  it("shows who handles a complaint of an office below, and offers 督办 with the default period", async () => {
    const { invoke } = setup(
      detailWith({
        actions: ["request_supervision"],
        handled_here: false,
        owner: { code: "530102", name: "五华区纪委监委" },
        can_reveal_reporter: false,
      }),
      { complaint_request_approval: () => PENDING_DETAIL },
    );
    expect(await screen.findByTestId("complaint-owner")).toHaveTextContent("此件现由五华区纪委监委办理");
    expect(screen.getByTestId("complaint-owner")).not.toHaveTextContent("530102");
    fireEvent.click(screen.getByTestId("action-request_supervision"));
    fill("directive-reason", "群众多次反映，请加快办理");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_request_approval")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_request_approval")[0]).toEqual({
      id: DETAIL.summary.id,
      request: { action: "supervise", report_days: null },
      reason: "群众多次反映，请加快办理",
    });
  });

  it("concludes with a finding, offering 澄清正名 only for 错告 or 诬告", async () => {
    const { invoke } = setup(detailWith({ actions: ["conclude"] }), { complaint_conclude: () => DETAIL });
    fireEvent.click(await screen.findByTestId("action-conclude"));
    expect(await screen.findByTestId("conclude-date")).toHaveValue(todayIso());
    expect(screen.queryByTestId("conclude-clearance")).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId("conclude-accusation-false"));
    fireEvent.click(await screen.findByTestId("conclude-clearance"));
    fill("conclude-result", "经核查，反映问题不属实");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_conclude")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_conclude")[0]).toEqual({
      id: "c-1",
      req: { date: todayIso(), result: "经核查，反映问题不属实", accusation: "false", clearance: true },
    });
  });

  it("records the next case stage, and refuses to send without one", async () => {
    const { invoke } = setup(detailWith({ actions: ["record_case_milestone", "start_detention"] }), {
      complaint_case_milestone: () => DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-record_case_milestone"));
    fireEvent.click(await screen.findByTestId("modal-submit"));
    expect(await screen.findByText(MODAL_MSG.stage)).toBeInTheDocument();
    await choose("milestone-stage", "trial_accepted");
    fill("milestone-note", "移送案件审理室");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_case_milestone")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_case_milestone")[0]).toEqual({
      id: "c-1",
      req: { stage: "trial_accepted", date: todayIso(), note: "移送案件审理室" },
    });
  });

  it("extends detention with the approval reference in the note", async () => {
    const { invoke } = setup(detailWith({ actions: ["extend_detention", "end_detention"] }), {
      complaint_extend_detention: () => DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-extend_detention"));
    expect(await screen.findByText(/只能延长一次/)).toBeInTheDocument();
    fill("dated-note", "州纪委〔2026〕8号");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_extend_detention")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_extend_detention")[0]).toEqual({
      id: "c-1",
      req: { date: todayIso(), note: "州纪委〔2026〕8号" },
    });
  });

  it("asks the office above to approve detention, with a reason, and shows who was asked", async () => {
    const asked = detailWith({
      actions: [],
      approvals: [
        {
          id: "a-9",
          action: "采取留置措施（报昆明市纪委监委批准）",
          reason: "涉嫌严重职务违法",
          requested_by: "钱审查",
          requested_at: "2026-12-07 10:00",
          status: "refused",
          decided_by: "王领导",
          comment: "理由不充分",
          upper_office: "昆明市纪委监委",
        },
      ],
    });
    const { invoke } = setup(detailWith({ actions: ["request_detention", "end_detention"] }), {
      complaint_request_approval: () => asked,
    });
    fireEvent.click(await screen.findByTestId("action-request_detention"));
    expect(await screen.findByText(/须经上一级机关批准/)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByText(MODAL_MSG.detentionReason)).toBeInTheDocument();
    expect(callsOf(invoke, "complaint_request_approval")).toHaveLength(0);
    fill("detention-reason", "涉嫌严重职务违法");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_request_approval")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_request_approval")[0]).toEqual({
      id: "c-1",
      request: { action: "detain" },
      reason: "涉嫌严重职务违法",
    });
    const row = await screen.findByTestId("approval-row");
    expect(row).toHaveTextContent("采取留置措施（报昆明市纪委监委批准）");
    expect(row).toHaveTextContent("昆明市纪委监委 王领导：理由不充分");
  });

  it("asks the office above to approve the one extension", async () => {
    const { invoke } = setup(detailWith({ actions: ["request_detention_extension"] }), {
      complaint_request_approval: () => DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-request_detention_extension"));
    expect(await screen.findByText(/只能延长一次/)).toBeInTheDocument();
    fill("detention-reason", "案情重大复杂");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_request_approval")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_request_approval")[0]).toEqual({
      id: "c-1",
      request: { action: "extend_detention" },
      reason: "案情重大复杂",
    });
  });

  it("records a dated step with today's date by default", async () => {
    const { invoke } = setup(detailWith({ actions: ["notify_acceptance"] }), {
      complaint_notify_acceptance: () => DETAIL,
    });
    fireEvent.click(await screen.findByTestId("action-notify_acceptance"));
    expect(await screen.findByTestId("dated-date")).toHaveValue(todayIso());
    fill("dated-note", "电话告知");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_notify_acceptance")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_notify_acceptance")[0]).toEqual({
      id: "c-1",
      req: { date: todayIso(), note: "电话告知" },
    });
  });

  it("reveals the reporter only after a purpose is given, and says the reading is recorded", async () => {
    const { invoke } = setup(DETAIL, {
      complaint_reveal_reporter: () => ({ name: "张三", unit: null, contact: "13800000000", address: null }),
    });
    fireEvent.click(await screen.findByTestId("action-reveal_reporter"));
    expect(await screen.findByTestId("reveal-notice")).toHaveTextContent("查看记录已留痕");
    expect(screen.queryByTestId("reveal-identity")).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByText(MSG_PURPOSE)).toBeInTheDocument();
    expect(callsOf(invoke, "complaint_reveal_reporter")).toHaveLength(0);
    expect(screen.queryByText("13800000000")).not.toBeInTheDocument();
    fill("reveal-purpose", " 电话告知受理 ");
    fireEvent.click(screen.getByTestId("modal-submit"));
    const identity = await screen.findByTestId("reveal-identity");
    expect(identity).toHaveTextContent("张三");
    expect(identity).toHaveTextContent("13800000000");
    expect(screen.getByTestId("reveal-notice")).toHaveTextContent("查看记录已留痕");
    expect(callsOf(invoke, "complaint_reveal_reporter")).toEqual([{ id: "c-1", purpose: "电话告知受理" }]);
    // The page is read again so that the timeline shows the reading.
    await waitFor(() => expect(callsOf(invoke, "complaint_show")).toHaveLength(2));
  });
});

describe("ComplaintPage: review of a result reported from below", () => {
  const REPORTED = detailWith({
    actions: ["accept_result", "return_result"],
    handled_here: false,
    owner: { code: "530103", name: "盘龙区纪委监委" },
    timeline: [
      { seq: 7, time: "2026-11-02 09:15", actor: "李信访", kind: "complaint.registered", text: "登记检举控告" },
      {
        seq: 9,
        time: "2026-11-20 16:40",
        actor: "盘龙区纪委监委工作人员",
        kind: "complaint.result_reported",
        text: "向上级上报办理结果（2026-11-20）：反映问题部分属实",
      },
    ],
  });

  it("shows the report under review and sends an acceptance with its note", async () => {
    const { invoke } = setup(REPORTED, { complaint_review_result: () => detailWith({ actions: [] }) });
    fireEvent.click(await screen.findByTestId("action-accept_result"));
    const report = await screen.findByTestId("review-report");
    expect(report).toHaveTextContent("盘龙区纪委监委");
    expect(report).toHaveTextContent("2026-11-20 16:40");
    expect(report).toHaveTextContent("反映问题部分属实");
    expect(screen.queryByTestId("review-days")).not.toBeInTheDocument();
    fill("review-note", " 予以采纳 ");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_review_result")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_review_result")[0]).toEqual({
      id: "c-1",
      req: { accept: true, note: "予以采纳", report_days: null },
    });
    expect(await screen.findByText("已采纳下级上报的办理结果")).toBeInTheDocument();
  });

  it("refuses a send-back without a note or with days out of range before calling the backend", async () => {
    const { invoke } = setup(REPORTED, { complaint_review_result: () => detailWith({ actions: [] }) });
    fireEvent.click(await screen.findByTestId("action-return_result"));
    fireEvent.click(await screen.findByTestId("modal-submit"));
    expect(await screen.findByText(MODAL_MSG.returnNote)).toBeInTheDocument();
    fill("review-note", "请补充谈话笔录");
    fill("review-days", "4");
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByText(MODAL_MSG.returnDays)).toBeInTheDocument();
    expect(callsOf(invoke, "complaint_review_result")).toHaveLength(0);
    fill("review-days", "15");
    fireEvent.click(screen.getByTestId("modal-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_review_result")).toHaveLength(1));
    expect(callsOf(invoke, "complaint_review_result")[0]).toEqual({
      id: "c-1",
      req: { accept: false, note: "请补充谈话笔录", report_days: 15 },
    });
  });

  it("shows the backend's refusal and keeps the note", async () => {
    setup(REPORTED, {
      complaint_review_result: () => reject("invalid", "该办理结果已经审核过了，不能重复审核。"),
    });
    fireEvent.click(await screen.findByTestId("action-return_result"));
    fill("review-note", "请补充");
    fireEvent.click(screen.getByTestId("modal-submit"));
    expect(await screen.findByTestId("modal-error")).toHaveTextContent("该办理结果已经审核过了，不能重复审核。");
    expect(screen.getByTestId("review-note")).toHaveValue("请补充");
  });
});
