// The items of a checklist as a horizontal flow of lights, and the chosen item's panel: its
// evidence and history, the responsible unit's submission, payments and extension, and the
// reviewer's approve / reject-with-note. Shared by penalty decisions and rectification lists.
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Space, Table, Timeline, Typography } from "antd";
import { PaperClipOutlined } from "@ant-design/icons";
import type { Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { EvidenceUpload, GuidanceView, ItemStep, ItemView, SubmissionView } from "../../bindings";
import { DATE_FORMAT, beijingToday, isFuture, isoDate } from "../complaints/common";
import { ItemLight, ItemStatusTag, MONEY, yuan } from "./common";
import { CitationsCard } from "../library/Citations";
import { itemNotice } from "../notices/kinds";
import { NoticeButton } from "../notices/NoticeButton";

type Props = {
  checklistId: string;
  items: ItemView[];
  /** The first item not yet approved (penalty checklists run in order). */
  currentOrd: number | null;
  rectification: boolean;
  /** Reloads the page after a step; resolves once the new state is shown. */
  onChanged: () => Promise<void>;
};

/** One step of the flow: its number in a circle coloured by its light, its title and state. */
function FlowNode({ item, selected, current, onClick }: { item: ItemView; selected: boolean; current: boolean; onClick: () => void }) {
  const light = item.light ?? "none";
  return (
    <button
      type="button"
      className={`qf-flow-node qf-flow-${light}${selected ? " qf-flow-selected" : ""}${current ? " qf-flow-current" : ""}`}
      data-testid="flow-node"
      data-ord={item.ord}
      data-light={light}
      data-status={item.status}
      onClick={onClick}
      title={item.title}
    >
      <span className="qf-flow-dot">{item.status === "approved" ? "✓" : item.ord}</span>
      <span className="qf-flow-title">{item.title}</span>
      <span className="qf-flow-meta">
        <ItemStatusTag status={item.status} />
      </span>
      <span className="qf-flow-due">{item.due ? `期限 ${item.due}` : " "}</span>
    </button>
  );
}

function Submissions({ list, checklistId }: { list: SubmissionView[]; checklistId: string }) {
  const api = useApi();
  const { message } = App.useApp();
  if (list.length === 0) return <Typography.Text type="secondary">尚未提交。</Typography.Text>;
  async function open(sha: string) {
    try {
      const path = await api.checklistOpenEvidence(checklistId, sha);
      if (path) message.success(`已保存到 ${path}`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }
  return (
    <Timeline
      data-testid="item-submissions"
      items={list.map((s, i) => ({
        key: i,
        color: s.outcome === "rejected" ? "red" : s.outcome === "approved" ? "green" : "blue",
        children: (
          <div>
            <div>
              {s.date} {s.submitted_by} 提交：{s.note || "（无说明）"}
            </div>
            {s.measures && <div>整改措施：{s.measures}</div>}
            {s.result && <div>整改结果：{s.result}</div>}
            {s.evidence.length > 0 && (
              <Space size={4} wrap>
                证明材料：
                {s.evidence.map((f) => (
                  <Button key={f.sha256} size="small" type="link" onClick={() => void open(f.sha256)}>
                    {f.name}
                  </Button>
                ))}
              </Space>
            )}
            {s.outcome !== "pending" && (
              <div className={s.outcome === "rejected" ? "qf-reject-note" : undefined}>
                {s.review_date} {s.reviewed_by} {s.outcome === "rejected" ? "驳回" : "审核通过"}
                {s.review_note ? `：${s.review_note}` : ""}
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}

type SubmitValues = { date?: Dayjs | null; note?: string; measures?: string; result?: string };

function SubmitForm({ item, checklistId, rectification, onChanged }: { item: ItemView } & Omit<Props, "items" | "currentOrd">) {
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<SubmitValues>();
  const [files, setFiles] = useState<EvidenceUpload[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The platform's open dialog; the files are read when the submission is sent.
  async function pick() {
    try {
      const picked = await api.checklistPickEvidence();
      if (picked.length > 0) setFiles(picked);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function submit() {
    const v = form.getFieldsValue(true) as SubmitValues;
    setBusy(true);
    setError(null);
    try {
      await api.checklistSubmit(checklistId, item.ord, {
        date: isoDate(v.date ?? null),
        note: (v.note ?? "").trim(),
        measures: rectification ? (v.measures ?? "").trim() || null : null,
        result: rectification ? (v.result ?? "").trim() || null : null,
        files,
      });
      message.success(`“${item.title}”已提交审核`);
      form.resetFields();
      setFiles([]);
      await onChanged();
    } catch (e) {
      // What the officer typed stays in the form: only the message changes.
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title={item.status === "rejected" ? "整改后重新提交" : "提交办理情况"} className="qf-card" data-testid="submit-card">
      <Form<SubmitValues> form={form} layout="vertical" initialValues={{ date: beijingToday() }} className="qf-compact-form">
        <Form.Item name="date" label="办理日期">
          <DatePicker format={DATE_FORMAT} disabledDate={isFuture} allowClear={false} data-testid="submit-date" />
        </Form.Item>
        <Form.Item name="note" label="办理情况">
          <Input.TextArea data-testid="submit-note" rows={3} maxLength={2000} placeholder="如：已于该日向本人送达处分决定，本人签收。" />
        </Form.Item>
        {rectification && (
          <>
            <Form.Item name="measures" label="整改措施">
              <Input.TextArea data-testid="submit-measures" rows={2} maxLength={2000} />
            </Form.Item>
            <Form.Item name="result" label="整改结果">
              <Input.TextArea data-testid="submit-result" rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
        <Form.Item label="证明材料（送达回证、收据等）">
          <Space wrap>
            <Button icon={<PaperClipOutlined />} onClick={() => void pick()} data-testid="submit-files">
              选择文件…
            </Button>
            {files.length > 0 && (
              <Button type="link" size="small" onClick={() => setFiles([])}>
                清除
              </Button>
            )}
          </Space>
          {files.length > 0 && <div className="qf-list-note">已选 {files.length} 个文件：{files.map((f) => f.name).join("、")}</div>}
        </Form.Item>
        {item.blocked && <Alert type="warning" showIcon className="qf-form-alert" message={item.blocked} data-testid="submit-blocked" />}
        {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="submit-error" />}
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="submit-item">
          提交审核
        </Button>
      </Form>
    </Card>
  );
}

type PayValues = { amount?: string; date?: Dayjs | null; note?: string };

function PaymentCard({ item, checklistId, onChanged, canPay }: { item: ItemView; checklistId: string; onChanged: () => Promise<void>; canPay: boolean }) {
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<PayValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function pay() {
    const v = form.getFieldsValue(true) as PayValues;
    const amount = (v.amount ?? "").trim();
    if (!MONEY.test(amount)) {
      setError("缴款金额应为数字，以元为单位，最多两位小数，如 1200.50。");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const out = await api.checklistPay(checklistId, item.ord, amount, isoDate(v.date ?? null), (v.note ?? "").trim());
      message.success(`已登记缴款 ${amount} 元，尚余 ${out.amount_remaining} 元`);
      form.resetFields();
      await onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title="收缴退赔" className="qf-card" data-testid="payment-card">
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: "due", label: "应缴", children: <span data-testid="amount-due">{yuan(item.amount_due)}</span> },
          { key: "paid", label: "已缴", children: <span data-testid="amount-paid">{yuan(item.amount_paid)}</span> },
          { key: "left", label: "尚余", children: <strong data-testid="amount-remaining">{yuan(item.amount_remaining)}</strong> },
        ]}
      />
      {item.payments.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={item.payments}
          columns={[
            { key: "date", title: "缴款日期", dataIndex: "date", width: 110 },
            { key: "amount", title: "金额", render: (_, p) => yuan(p.amount), width: 140 },
            { key: "note", title: "说明", dataIndex: "note" },
            { key: "by", title: "登记人", dataIndex: "recorded_by", width: 100 },
          ]}
        />
      )}
      {canPay && (
        <Form<PayValues> form={form} layout="inline" initialValues={{ date: beijingToday() }} className="qf-pay-form">
          <Form.Item name="amount" label="本次缴款（元）">
            <Input data-testid="pay-amount" placeholder="如 1200.50" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="date" label="缴款日期">
            <DatePicker format={DATE_FORMAT} disabledDate={isFuture} allowClear={false} />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input data-testid="pay-note" placeholder="如：财政非税收入票据号" style={{ width: 200 }} />
          </Form.Item>
          <Button loading={busy} onClick={() => void pay()} data-testid="pay-submit">
            登记缴款
          </Button>
        </Form>
      )}
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="pay-error" />}
    </Card>
  );
}

type ExtendValues = { months?: number | null; approval?: string };

function ExtendCard({ item, checklistId, onChanged }: { item: ItemView; checklistId: string; onChanged: () => Promise<void> }) {
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<ExtendValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function extend() {
    const v = form.getFieldsValue(true) as ExtendValues;
    setBusy(true);
    setError(null);
    try {
      await api.checklistExtend(checklistId, item.ord, v.months ?? 0, (v.approval ?? "").trim());
      message.success("期限已延长");
      form.resetFields();
      await onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card size="small" title={`经批准延长期限（最长 ${item.extendable_to} 个月）`} className="qf-card" data-testid="extend-card">
      <Form<ExtendValues> form={form} layout="inline">
        <Form.Item name="months" label="延长至（月）">
          <InputNumber min={1} max={item.extendable_to ?? 6} data-testid="extend-months" />
        </Form.Item>
        <Form.Item name="approval" label="批准文号">
          <Input data-testid="extend-approval" style={{ width: 220 }} />
        </Form.Item>
        <Button loading={busy} onClick={() => void extend()} data-testid="extend-submit">
          延长期限
        </Button>
      </Form>
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} />}
    </Card>
  );
}

function ReviewCard({ item, checklistId, onChanged }: { item: ItemView; checklistId: string; onChanged: () => Promise<void> }) {
  const api = useApi();
  const { message } = App.useApp();
  const [note, setNote] = useState("");
  const [score, setScore] = useState<string>("");
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(kind: "approve" | "reject") {
    if (kind === "reject" && !note.trim()) {
      setError("驳回时请填写整改意见，责任单位将据此整改。");
      return;
    }
    setBusy(kind);
    setError(null);
    try {
      if (kind === "approve") {
        await api.checklistApprove(checklistId, item.ord, note.trim(), item.max_score ? score.trim() || null : null);
        message.success(`“${item.title}”审核通过`);
      } else {
        await api.checklistReject(checklistId, item.ord, note.trim());
        message.success(`“${item.title}”已驳回，退回责任单位整改`);
      }
      setNote("");
      setScore("");
      await onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card size="small" title="审核" className="qf-card" data-testid="review-card">
      <Typography.Paragraph type="secondary">审核通过后自动开启下一事项；驳回须写明整改意见。提交人本人不能审核。</Typography.Paragraph>
      <Input.TextArea
        data-testid="review-note"
        rows={3}
        maxLength={2000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder="审核意见（驳回时必填，如：未附送达回证，请补充。）"
      />
      {item.max_score && (
        <Space className="qf-form-alert">
          得分（满分 {item.max_score}）
          <Input data-testid="review-score" value={score} onChange={(e) => setScore(e.target.value)} style={{ width: 100 }} />
        </Space>
      )}
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="review-error" />}
      <Space className="qf-submit-row">
        <Button type="primary" loading={busy === "approve"} disabled={busy !== null} onClick={() => void run("approve")} data-testid="review-approve">
          审核通过
        </Button>
        <Button danger loading={busy === "reject"} disabled={busy !== null} onClick={() => void run("reject")} data-testid="review-reject">
          驳回
        </Button>
      </Space>
    </Card>
  );
}

/** 案件审理室's guidance opinions (指导意见) on the item, oldest first. */
function GuidanceList({ list }: { list: GuidanceView[] }) {
  if (list.length === 0) return null;
  return (
    <div data-testid="item-guidance">
      <Typography.Title level={5} className="qf-flow-history">
        指导意见
      </Typography.Title>
      <Timeline
        items={list.map((g, i) => ({
          key: i,
          color: "blue",
          children: (
            <>
              <Typography.Text type="secondary">
                {g.date} {g.given_by}
              </Typography.Text>
              <div>{g.text}</div>
            </>
          ),
        }))}
      />
    </div>
  );
}

/** 案件审理室 guides the unit on an item (以案促改); the item stays where it was. */
function GuideCard({ item, checklistId, onChanged }: { item: ItemView; checklistId: string; onChanged: () => Promise<void> }) {
  const api = useApi();
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function give() {
    if (!text.trim()) {
      setError("请填写指导意见，写明责任单位应当怎样做。");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.checklistGuide(checklistId, item.ord, text.trim());
      message.success(`已对“${item.title}”提出指导意见`);
      setText("");
      await onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title="提出指导意见" className="qf-card" data-testid="guide-card">
      <Typography.Paragraph type="secondary">指导意见记入本事项，供责任单位整改时遵照，并计入统计；不改变事项的办理状态。</Typography.Paragraph>
      <Input.TextArea
        data-testid="guide-text"
        rows={3}
        maxLength={2000}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="如：剖析案发原因要具体到审批、验收各环节，逐项列出廉政风险点。"
      />
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="guide-error" />}
      <Space className="qf-submit-row">
        <Button type="primary" loading={busy} onClick={() => void give()} data-testid="guide-submit">
          提出指导意见
        </Button>
      </Space>
    </Card>
  );
}

function ItemPanel({ item, ...props }: { item: ItemView } & Omit<Props, "items" | "currentOrd">) {
  // The controls are the steps the core offers this viewer on this item (its workflow's allowed
  // steps); the page decides nothing of who may do what, or when.
  const can = (step: ItemStep) => item.steps.includes(step);
  // The notice this item calls for (送达回执, 宣布记录, 函告), made by the officer who submits it.
  const notice = props.rectification ? null : itemNotice(item.kind);
  return (
    <div data-testid="item-panel" data-ord={item.ord}>
      <Card
        size="small"
        className="qf-card"
        title={
          <Space>
            <span data-testid="item-title">
              {item.ord}. {item.title}
            </span>
            <ItemStatusTag status={item.status} testId="item-status" />
            <ItemLight light={item.light} idle={item.idle} testId="item-light" />
          </Space>
        }
      >
        {item.status === "rejected" && item.review_note && (
          <Alert type="error" showIcon className="qf-form-alert" data-testid="item-rejected" message={`已驳回（第 ${item.rejections} 次）：${item.review_note}`} />
        )}
        {item.status === "pending" && (
          <Alert type="info" showIcon className="qf-form-alert" message="前序事项审核通过后，本事项自动开启。" />
        )}
        <Descriptions
          size="small"
          column={2}
          items={[
            { key: "unit", label: "责任单位", children: item.responsible_unit || "—" },
            {
              key: "due",
              label: "期限",
              children: item.due ? `${item.deadline_label} ${item.due}${item.provisional ? "（暂定）" : ""}` : "前序事项通过后计算",
            },
            ...(item.measures ? [{ key: "measures", label: "要求", children: item.measures }] : []),
            ...(item.letters.length ? [{ key: "letters", label: "“三书”", children: item.letters.join("、") }] : []),
            ...(item.max_score ? [{ key: "score", label: "得分", children: `${item.score ?? "—"} / ${item.max_score}` }] : []),
            ...(item.last_action_date && item.submissions.length > 0 ? [{ key: "last", label: "最近办理", children: item.last_action_date }] : []),
          ]}
        />
        <Typography.Title level={5} className="qf-flow-history">
          办理和审核记录
        </Typography.Title>
        <Submissions list={item.submissions} checklistId={props.checklistId} />
        <GuidanceList list={item.guidance} />
      </Card>
      <CitationsCard record={`${props.rectification ? "checklist" : "penalty"}:${props.checklistId}`} item={item.ord} />
      {item.payment && <PaymentCard item={item} checklistId={props.checklistId} onChanged={props.onChanged} canPay={can("record_payment")} />}
      {notice && can("submit") && (
        <div className="qf-form-alert" data-testid="item-notice">
          <NoticeButton kind={notice} record={{ kind: "penalty", id: props.checklistId }} />
        </div>
      )}
      {can("submit") && <SubmitForm item={item} {...props} />}
      {can("extend") && <ExtendCard item={item} checklistId={props.checklistId} onChanged={props.onChanged} />}
      {(can("approve") || can("reject")) && <ReviewCard item={item} checklistId={props.checklistId} onChanged={props.onChanged} />}
      {can("guide") && <GuideCard item={item} checklistId={props.checklistId} onChanged={props.onChanged} />}
      {item.waiting && (
        <Alert
          type="info"
          showIcon
          className="qf-form-alert"
          message={item.waiting}
          data-testid={item.status === "submitted" ? "awaiting-review" : "awaiting-unit"}
        />
      )}
    </div>
  );
}

export function ChecklistFlow(props: Props) {
  const { items, currentOrd } = props;
  const [selected, setSelected] = useState<number | null>(currentOrd ?? items[0]?.ord ?? null);
  // After a step the current item moves on: follow it.
  useEffect(() => setSelected(currentOrd ?? items[items.length - 1]?.ord ?? null), [currentOrd, items]);
  if (items.length === 0) return <Empty description="没有执行事项" />;
  const item = items.find((i) => i.ord === selected) ?? items[0]!;
  return (
    <>
      <div className="qf-flow" data-testid="flow">
        {items.map((i) => (
          <FlowNode key={i.ord} item={i} selected={i.ord === item.ord} current={i.ord === currentOrd} onClick={() => setSelected(i.ord)} />
        ))}
      </div>
      <ItemPanel key={`${item.ord}:${item.status}:${item.submissions.length}:${item.guidance.length}`} item={item} {...props} />
    </>
  );
}
