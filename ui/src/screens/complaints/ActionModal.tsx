// One modal per complaint action. Each sends its request, hands the returned page back, and on
// failure shows the backend's message while keeping what was entered.
import { Alert, Button, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Radio, Select } from "antd";
import type { DatePickerProps } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import type { ReactNode } from "react";
import { errorMessage, useApi } from "../../api";
import type {
  AccusationFinding,
  CaseStage,
  ComplaintActionKind,
  ComplaintDetail,
  DisposalMethod,
  Role,
  ScreeningOutcome,
} from "../../bindings";
import {
  ACCUSATION_OPTIONS,
  ACTION_LABELS,
  APPROVAL_STATUS_LABELS,
  CASE_STAGE_OPTIONS,
  DEPARTMENT_OPTIONS,
  DISPOSAL_OPTIONS,
  OUTCOME_OPTIONS,
  REFER_TO_LABELS,
} from "../../labels";
import { ComplaintPicker } from "./ComplaintPicker";
import { OfficePicker } from "./OfficePicker";
import { DATE_FORMAT, beijingToday, isFuture, isoDate, testOption, textOrNull } from "./common";

export type ModalKind = Exclude<ComplaintActionKind, "reveal_reporter">;

type Values = {
  outcome?: ScreeningOutcome;
  department?: Role | null;
  repeat_of?: string | null;
  refer_to?: string;
  reason?: string;
  date?: Dayjs | null;
  note?: string;
  method?: DisposalMethod;
  letter_date?: Dayjs | null;
  comment?: string;
  result?: string;
  accusation?: AccusationFinding;
  clearance?: boolean;
  content?: string;
  new_evidence?: boolean;
  stage?: CaseStage;
  to_office?: string;
  report_days?: number | null;
};

export const MODAL_MSG = {
  outcome: "请选择筛选结果",
  department: "请选择承办部门",
  repeatOf: "请选择所重复的检举控告",
  referTo: "请写明应向何处反映",
  reason: "请填写理由",
  date: "请选择日期",
  future: "日期不能晚于今天",
  method: "请选择处置方式",
  letterDate: "谈话函询须填写函询函发出日期",
  disposalReason: "请填写集体研究意见",
  returnReason: "请填写退回理由",
  refuseComment: "不同意时请填写审批意见",
  result: "请填写办理结果",
  objection: "请填写反馈意见内容",
  stage: "请选择案件阶段",
  toOffice: "请选择交办给哪个下级机关",
  assignReason: "请填写交办理由和要求",
  superviseReason: "请填写督办事由和要求",
  reportDays: "报告期限应为 5 至 250 个工作日",
  referOffice: "请从机关名录中选择接收机关",
  lateralTo: "请选择平级移交给哪个机关",
  lateralReason: "请填写平级移交的理由",
  detentionReason: "请填写提请理由",
} as const;

const TITLES: Record<ModalKind, string> = {
  screen: "筛选",
  notify_acceptance: "记录受理告知",
  record_forwarded: "记录报送或转送",
  request_return: "提请退回信访室",
  request_disposal: "提请处置",
  decide_approval: "审批",
  record_inquiry_reply: "记录函询回复",
  conclude: "办结",
  record_feedback: "记录结果反馈",
  record_objection: "记录检举人的反馈意见",
  record_case_milestone: "记录案件阶段",
  start_detention: "采取留置措施",
  extend_detention: "延长留置（须经上一级机关批准）",
  end_detention: "解除留置",
  request_assignment: "交办下级（须经分管领导审批）",
  request_supervision: "督办（须经分管领导审批）",
  request_lateral: "平级移交（须经分管领导审批）",
  report_result: "向上级上报办理结果",
  request_detention: "提请上一级机关批准采取留置措施",
  request_detention_extension: "提请上一级机关批准延长留置",
};

const DATED: Partial<Record<ModalKind, { date: string; note: string; hint?: string }>> = {
  notify_acceptance: { date: "告知日期", note: "告知方式及情况", hint: "实名检举须在收到后 15 个工作日内告知受理情况。" },
  record_forwarded: { date: "报送或转送日期", note: "报送或转送情况（文号、接收机关等）" },
  record_inquiry_reply: { date: "收到回复日期", note: "回复情况" },
  record_feedback: { date: "反馈日期", note: "反馈方式及情况", hint: "实名检举须在办结后 15 个工作日内反馈办理结果。" },
  start_detention: {
    date: "留置开始日期",
    note: "批准情况",
    hint: "留置时间不超过 3 个月，不因节假日顺延；期满前 10 日提醒。",
  },
  extend_detention: {
    date: "批准延长日期",
    note: "上一级机关批准文号（必填）",
    hint: "留置只能延长一次，延长期限不超过 3 个月，自原留置开始之日起计算。",
  },
  end_detention: { date: "解除留置日期", note: "解除情况" },
  report_result: {
    date: "上报日期",
    note: "办理结果（上报内容，必填）",
    hint: "上级机关交办或督办的件，须在要求的期限内报告办理结果。",
  },
};

const notFuture = {
  validator: async (_: unknown, d: Dayjs | null | undefined) => {
    if (d && isFuture(d)) throw new Error(MODAL_MSG.future);
  },
};

/** A date that cannot lie in the future; Form.Item supplies value and onChange. */
function DateField({ testId, ...rest }: { testId: string } & DatePickerProps) {
  return <DatePicker {...rest} data-testid={testId} format={DATE_FORMAT} disabledDate={isFuture} allowClear={false} />;
}

function initialValues(kind: ModalKind): Values {
  const today = beijingToday();
  switch (kind) {
    case "screen":
      return { department: "supervision" };
    case "request_disposal":
      return { letter_date: today };
    case "conclude":
      return { date: today, accusation: "none", clearance: false };
    case "record_objection":
      return { date: today, new_evidence: false };
    default:
      return { date: today };
  }
}

export function ActionModal({
  kind,
  detail,
  onClose,
  onDone,
}: {
  kind: ModalKind;
  detail: ComplaintDetail;
  onClose: () => void;
  onDone: (next: ComplaintDetail, kind: ModalKind) => void;
}) {
  const api = useApi();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const outcome = Form.useWatch("outcome", form);
  const method = Form.useWatch("method", form);
  const accusation = Form.useWatch("accusation", form);
  const id = detail.summary.id;

  async function run(send: (v: Values) => Promise<ComplaintDetail>) {
    if (busy) return;
    setError(null);
    let v: Values;
    try {
      await form.validateFields();
      v = form.getFieldsValue(true) as Values;
    } catch {
      return;
    }
    setBusy(true);
    try {
      const next = await send(v);
      onDone(next, kind);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  const dated = (v: Values) => ({ date: isoDate(v.date), note: (v.note ?? "").trim() });

  function submit() {
    switch (kind) {
      case "screen":
        return run((v) => {
          const o = v.outcome as ScreeningOutcome;
          return api.complaintScreen(id, {
            outcome: o,
            department: o === "accept_transfer" ? (v.department ?? null) : null,
            reason: (v.reason ?? "").trim(),
            refer_to: REFER_TO_LABELS[o] ? textOrNull(v.refer_to) : null,
            repeat_of: o === "repeat" ? (v.repeat_of ?? null) : null,
          });
        });
      case "notify_acceptance":
        return run((v) => api.complaintNotifyAcceptance(id, dated(v)));
      case "record_forwarded":
        return run((v) => api.complaintRecordForwarded(id, dated(v)));
      case "record_inquiry_reply":
        return run((v) => api.complaintInquiryReply(id, dated(v)));
      case "record_feedback":
        return run((v) => api.complaintFeedback(id, dated(v)));
      case "start_detention":
        return run((v) => api.complaintStartDetention(id, dated(v)));
      case "extend_detention":
        return run((v) => api.complaintExtendDetention(id, dated(v)));
      case "end_detention":
        return run((v) => api.complaintEndDetention(id, dated(v)));
      case "record_case_milestone":
        return run((v) =>
          api.complaintCaseMilestone(id, { stage: v.stage as CaseStage, date: isoDate(v.date), note: (v.note ?? "").trim() }),
        );
      case "report_result":
        return run((v) => api.complaintReportResult(id, dated(v)));
      case "request_assignment":
        return run((v) =>
          api.complaintRequestApproval(
            id,
            { action: "assign", to_office: v.to_office ?? "", report_days: v.report_days ?? null },
            (v.reason ?? "").trim(),
          ),
        );
      case "request_lateral":
        return run((v) =>
          api.complaintRequestApproval(id, { action: "lateral", to_office: v.to_office ?? "" }, (v.reason ?? "").trim()),
        );
      case "request_supervision":
        return run((v) =>
          api.complaintRequestApproval(id, { action: "supervise", report_days: v.report_days ?? null }, (v.reason ?? "").trim()),
        );
      case "request_return":
        return run((v) => api.complaintRequestApproval(id, { action: "return" }, (v.reason ?? "").trim()));
      case "request_detention":
        return run((v) => api.complaintRequestApproval(id, { action: "detain" }, (v.reason ?? "").trim()));
      case "request_detention_extension":
        return run((v) => api.complaintRequestApproval(id, { action: "extend_detention" }, (v.reason ?? "").trim()));
      case "request_disposal":
        return run((v) => {
          const m = v.method as DisposalMethod;
          return api.complaintRequestApproval(
            id,
            { action: "dispose", method: m, letter_date: m === "inquiry" ? isoDate(v.letter_date) : null },
            (v.reason ?? "").trim(),
          );
        });
      case "conclude":
        return run((v) => {
          const a = v.accusation ?? "none";
          return api.complaintConclude(id, {
            date: isoDate(v.date),
            result: (v.result ?? "").trim(),
            accusation: a,
            clearance: a !== "none" && v.clearance === true,
          });
        });
      case "record_objection":
        return run((v) =>
          api.complaintObjection(id, {
            date: isoDate(v.date),
            content: (v.content ?? "").trim(),
            new_evidence: v.new_evidence === true,
          }),
        );
      case "decide_approval":
        return undefined; // has its own two buttons
    }
  }

  async function decide(granted: boolean) {
    const approvalId = detail.pending_approval;
    if (!approvalId) return;
    const comment = ((form.getFieldValue("comment") as string | undefined) ?? "").trim();
    if (!granted && !comment) {
      form.setFields([{ name: "comment", errors: [MODAL_MSG.refuseComment] }]);
      return;
    }
    form.setFields([{ name: "comment", errors: [] }]);
    setError(null);
    setBusy(true);
    try {
      onDone(await api.approvalDecide(id, approvalId, granted, comment), kind);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  let fields: ReactNode = null;
  const d = DATED[kind];
  if (d) {
    fields = (
      <>
        {d.hint && <Alert type="info" message={d.hint} className="qf-modal-hint" />}
        <Form.Item name="date" label={d.date} rules={[{ required: true, message: MODAL_MSG.date }, notFuture]}>
          <DateField testId="dated-date" />
        </Form.Item>
        <Form.Item name="note" label={d.note}>
          <Input.TextArea data-testid="dated-note" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "screen") {
    const referLabel = outcome ? REFER_TO_LABELS[outcome] : undefined;
    // Reporting upward and transferring downward name their destination from the directory,
    // among the offices the route rule allows; with no directory yet (an office working on
    // paper) the destination is written out as before.
    const referOffices =
      outcome === "report_upward"
        ? detail.handover_targets.report_upward
        : outcome === "transfer_downward"
          ? detail.handover_targets.transfer_downward
          : [];
    const reasonRequired = outcome === "not_accepted" || outcome === "report_upward" || outcome === "transfer_downward";
    fields = (
      <>
        <Form.Item name="outcome" label="筛选结果" rules={[{ required: true, message: MODAL_MSG.outcome }]}>
          <Select data-testid="screen-outcome" options={OUTCOME_OPTIONS} optionRender={testOption} placeholder="请选择" />
        </Form.Item>
        {outcome === "accept_transfer" && (
          <Form.Item name="department" label="承办部门" rules={[{ required: true, message: MODAL_MSG.department }]}>
            <Select data-testid="screen-department" options={DEPARTMENT_OPTIONS} optionRender={testOption} />
          </Form.Item>
        )}
        {outcome === "repeat" && (
          <Form.Item
            name="repeat_of"
            label="重复的是（此前的检举控告）"
            rules={[{ required: true, message: MODAL_MSG.repeatOf }]}
          >
            <ComplaintPicker testId="screen-repeat-of" excludeId={id} />
          </Form.Item>
        )}
        {referLabel && referOffices.length > 0 && (
          <Form.Item
            key={`refer-${outcome}`}
            name="refer_to"
            label={referLabel}
            initialValue={referOffices.length === 1 ? referOffices[0]?.code : undefined}
            rules={[{ required: true, message: MODAL_MSG.referOffice }]}
          >
            <OfficePicker offices={referOffices} testId="screen-refer-office" placeholder="请选择接收机关" />
          </Form.Item>
        )}
        {referLabel && referOffices.length === 0 && (
          <Form.Item
            name="refer_to"
            label={referLabel}
            rules={outcome === "not_accepted" ? [{ required: true, whitespace: true, message: MODAL_MSG.referTo }] : []}
          >
            <Input data-testid="screen-refer-to" maxLength={200} />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label="理由"
          rules={reasonRequired ? [{ required: true, whitespace: true, message: MODAL_MSG.reason }] : []}
        >
          <Input.TextArea data-testid="screen-reason" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={500} />
        </Form.Item>
      </>
    );
  } else if (kind === "record_case_milestone") {
    fields = (
      <>
        <Alert type="info" message="案件阶段须依次记录：立案、审查调查、移送审理、作出处理决定。移送审理后 1 个月内应审结。" className="qf-modal-hint" />
        <Form.Item name="stage" label="阶段" rules={[{ required: true, message: MODAL_MSG.stage }]}>
          <Select data-testid="milestone-stage" options={CASE_STAGE_OPTIONS} optionRender={testOption} placeholder="请选择" />
        </Form.Item>
        <Form.Item name="date" label="日期" rules={[{ required: true, message: MODAL_MSG.date }, notFuture]}>
          <DateField testId="milestone-date" />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input.TextArea data-testid="milestone-note" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "request_assignment" || kind === "request_supervision") {
    const assign = kind === "request_assignment";
    fields = (
      <>
        <Alert
          type="info"
          className="qf-modal-hint"
          message={
            assign
              ? "交办须经分管领导审批。批准后经省级平台移交下级机关办理，下级机关须在期限内报告办理结果。"
              : `此件由${detail.owner.name}办理。督办须经分管领导审批，批准后下级机关须在期限内报告办理结果。`
          }
        />
        {assign && detail.handover_targets.assign.length > 0 && (
          <Form.Item name="to_office" label="交办给" rules={[{ required: true, message: MODAL_MSG.toOffice }]}>
            <OfficePicker offices={detail.handover_targets.assign} testId="assign-to" placeholder="请选择下级机关" />
          </Form.Item>
        )}
        {assign && detail.handover_targets.assign.length === 0 && (
          <Form.Item name="to_office" label="交办给" rules={[{ required: true, message: MODAL_MSG.toOffice }]}>
            <Select
              data-testid="assign-to"
              placeholder="请选择下级机关"
              options={detail.assign_targets.map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` }))}
              optionRender={testOption}
            />
          </Form.Item>
        )}
        <Form.Item
          name="report_days"
          label="报告期限（工作日）"
          extra={assign ? "不填则按本机关设置（默认 60 个工作日）。" : "不填则按本机关设置（默认 30 个工作日）。"}
          rules={[
            {
              validator: async (_: unknown, n: number | null | undefined) => {
                if (n !== undefined && n !== null && (n < 5 || n > 250)) throw new Error(MODAL_MSG.reportDays);
              },
            },
          ]}
        >
          <InputNumber data-testid="report-days" min={1} max={999} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={assign ? "交办理由和要求" : "督办事由和要求"}
          rules={[{ required: true, whitespace: true, message: assign ? MODAL_MSG.assignReason : MODAL_MSG.superviseReason }]}
        >
          <Input.TextArea data-testid="directive-reason" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "request_lateral") {
    fields = (
      <>
        <Alert
          type="info"
          className="qf-modal-hint"
          message="平级移交给同一上级机关下的同级机关，须经分管领导审批。批准后经省级平台移交，由接收机关重新筛选并告知实名检举人。"
        />
        <Form.Item name="to_office" label="移交给" rules={[{ required: true, message: MODAL_MSG.lateralTo }]}>
          <OfficePicker offices={detail.handover_targets.lateral} testId="lateral-to" placeholder="请选择同级机关" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="平级移交的理由"
          rules={[{ required: true, whitespace: true, message: MODAL_MSG.lateralReason }]}
        >
          <Input.TextArea data-testid="lateral-reason" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "request_detention" || kind === "request_detention_extension") {
    const first = kind === "request_detention";
    fields = (
      <>
        <Alert
          type="info"
          className="qf-modal-hint"
          message={
            first
              ? "采取留置措施须经上一级机关批准。提请经省级平台送达上一级机关，由其领导审批；批准后自批准之日起留置，期限 3 个月，不因节假日顺延，期满前 10 日提醒。"
              : "留置只能延长一次，须经上一级机关批准。批准后留置期限自原留置开始之日起共 6 个月。"
          }
        />
        <Form.Item
          name="reason"
          label="提请理由"
          rules={[{ required: true, whitespace: true, message: MODAL_MSG.detentionReason }]}
        >
          <Input.TextArea data-testid="detention-reason" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "request_return") {
    fields = (
      <>
        <Alert type="info" message="退回须经协商并报分管领导审批，批准后退回信访室重新筛选。" className="qf-modal-hint" />
        <Form.Item
          name="reason"
          label="退回理由（协商情况）"
          rules={[{ required: true, whitespace: true, message: MODAL_MSG.returnReason }]}
        >
          <Input.TextArea data-testid="return-reason" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "request_disposal") {
    fields = (
      <>
        <Form.Item name="method" label="处置方式" rules={[{ required: true, message: MODAL_MSG.method }]}>
          <Select data-testid="disposal-method" options={DISPOSAL_OPTIONS} optionRender={testOption} placeholder="请选择" />
        </Form.Item>
        {method === "inquiry" && (
          <Form.Item
            name="letter_date"
            label="函询函发出日期"
            extra="回复期限为发出后 15 个工作日。"
            rules={[{ required: true, message: MODAL_MSG.letterDate }]}
          >
            <DatePicker data-testid="disposal-letter-date" format={DATE_FORMAT} allowClear={false} />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label="集体研究意见"
          rules={[{ required: true, whitespace: true, message: MODAL_MSG.disposalReason }]}
        >
          <Input.TextArea data-testid="disposal-reason" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "decide_approval") {
    const a = detail.approvals.find((x) => x.id === detail.pending_approval);
    fields = (
      <>
        {a && (
          <Descriptions
            size="small"
            column={1}
            bordered
            className="qf-modal-hint"
            data-testid="decide-approval"
            items={[
              { key: "action", label: "提请事项", children: a.action },
              { key: "reason", label: "理由", children: <span className="qf-pre">{a.reason}</span> },
              { key: "by", label: "提请人", children: `${a.requested_by}　${a.requested_at}` },
              { key: "status", label: "状态", children: APPROVAL_STATUS_LABELS[a.status] ?? a.status },
            ]}
          />
        )}
        <Form.Item name="comment" label="审批意见" extra="不同意时必须填写。">
          <Input.TextArea data-testid="decide-comment" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
      </>
    );
  } else if (kind === "conclude") {
    fields = (
      <>
        <Form.Item name="date" label="办结日期" rules={[{ required: true, message: MODAL_MSG.date }, notFuture]}>
          <DateField testId="conclude-date" />
        </Form.Item>
        <Form.Item name="result" label="办理结果" rules={[{ required: true, whitespace: true, message: MODAL_MSG.result }]}>
          <Input.TextArea data-testid="conclude-result" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
        </Form.Item>
        <Form.Item name="accusation" label="认定">
          <Radio.Group data-testid="conclude-accusation">
            {ACCUSATION_OPTIONS.map((o) => (
              <Radio key={o.value} value={o.value}>
                <span data-testid={`conclude-accusation-${o.value}`}>{o.label}</span>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        {(accusation === "mistaken" || accusation === "false") && (
          <Form.Item name="clearance" valuePropName="checked">
            <Checkbox>
              <span data-testid="conclude-clearance">已为被反映人澄清正名</span>
            </Checkbox>
          </Form.Item>
        )}
      </>
    );
  } else if (kind === "record_objection") {
    fields = (
      <>
        <Form.Item name="date" label="提出日期" rules={[{ required: true, message: MODAL_MSG.date }, notFuture]}>
          <DateField testId="objection-date" />
        </Form.Item>
        <Form.Item
          name="content"
          label="反馈意见内容"
          rules={[{ required: true, whitespace: true, message: MODAL_MSG.objection }]}
        >
          <Input.TextArea data-testid="objection-content" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
        </Form.Item>
        <Form.Item name="new_evidence" valuePropName="checked" extra="有新证据的，将重新核查办理。">
          <Checkbox>
            <span data-testid="objection-new-evidence">提供了新的证据</span>
          </Checkbox>
        </Form.Item>
      </>
    );
  }

  const footer =
    kind === "decide_approval"
      ? [
          <Button key="cancel" onClick={onClose} disabled={busy}>
            取消
          </Button>,
          <Button key="refuse" danger data-testid="decide-refuse" onClick={() => void decide(false)} loading={busy}>
            不同意
          </Button>,
          <Button key="grant" type="primary" data-testid="decide-grant" onClick={() => void decide(true)} loading={busy}>
            同意
          </Button>,
        ]
      : undefined;

  return (
    <Modal
      open
      title={`${TITLES[kind]} · ${detail.summary.number}`}
      okText="保存"
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ "data-testid": "modal-submit", loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      footer={footer}
      maskClosable={false}
      destroyOnHidden
      width={560}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues(kind)}
        onValuesChange={() => error && setError(null)}
        className="qf-modal-form"
        aria-label={ACTION_LABELS[kind]}
      >
        {fields}
      </Form>
      {error && (
        <div data-testid="modal-error">
          <Alert type="error" showIcon message={error} />
        </div>
      )}
    </Modal>
  );
}
