// 监督建议: supervision suggestions and reminder letters (“一书两提醒”) to units with their feedback
// deadlines (draft, issue as a numbered notice, record the unit's feedback with its evidence,
// accept or send it back, remind a late unit), circulars (监督通报) naming the units with problems
// in a period, and the period's statistics. Every rule is the backend's; the page offers only the
// steps it says the officer may take.
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, List, Modal, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { CircularRow, EvidenceUpload, LetterDetail, LetterKind, LetterRow, ReminderTopic, SupervisionStats } from "../../bindings";
import { PageHead, beijingToday } from "../complaints/common";
import { NoticeButton } from "../notices/NoticeButton";

const LIGHT_COLORS: Record<string, string> = { green: "green", yellow: "gold", red: "red", done: "default", cancelled: "default" };

function statusColor(status: string): string {
  return { drafted: "blue", issued: "gold", feedback: "cyan", closed: "default" }[status] ?? "default";
}

function noticeKind(kind: LetterKind): string {
  return kind === "reminder" ? "reminder_letter" : "supervision_suggestion";
}

/** The feedback deadline as a tag: due date and working days left, or when it was met. */
function DeadlineTag({ row, late }: { row: LetterRow; late?: boolean }) {
  const d = row.deadline;
  if (!d) return <>—</>;
  if (d.status === "done") return <Tag>{`已于 ${d.closed_date ?? ""} 反馈`}</Tag>;
  return (
    <Tag color={LIGHT_COLORS[d.light]} data-testid="letter-deadline">
      {late || d.light === "red" ? `反馈期限 ${d.due}（已逾期）` : `反馈期限 ${d.due}（剩 ${d.working_days_left} 个工作日）`}
    </Tag>
  );
}

/** One letter's page: problems, feedback rounds, reminders, and the steps open to the viewer. */
function LetterPage({ id, onBack }: { id: string; onBack: () => void }) {
  const api = useApi();
  const { message } = App.useApp();
  const [page, setPage] = useState<LetterDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [feedbackOpen, setFeedbackOpen] = useState(false);
  const [files, setFiles] = useState<EvidenceUpload[]>([]);
  const [noteFor, setNoteFor] = useState<"send_back" | "remind" | null>(null);
  const [note, setNote] = useState("");
  const [issued, setIssued] = useState(false);
  const [form] = Form.useForm<{ date: dayjs.Dayjs; content: string; rectified: number[] }>();
  const load = useCallback(async () => {
    try {
      setPage(await api.letterPage(id));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api, id]);
  useEffect(() => {
    void load();
  }, [load]);
  async function step(form: Parameters<typeof api.letterStep>[1], done: string): Promise<boolean> {
    setError(null);
    try {
      setPage(await api.letterStep(id, form));
      message.success(done);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  }
  const empty = { date: null, content: null, rectified: null, files: null, note: null, working_days: null };
  if (!page) return error ? <Alert type="error" showIcon message={error} /> : null;
  const r = page.row;
  const can = (s: string) => page.steps.includes(s as never);
  return (
    <div data-testid="letter-page">
      <PageHead title={`${r.kind_label}《${r.title}》`} sub={`${r.unit}${r.number ? ` · ${r.number}` : ""}`} extra={<Button onClick={onBack} data-testid="letter-back">返回列表</Button>} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag color={statusColor(r.status)} data-testid="letter-status">{r.status_label}</Tag>
        {r.round > 0 && <DeadlineTag row={r} late={page.late} />}
        <Tag>{`整改问题 ${r.problems_rectified}/${r.problems_total}`}</Tag>
        {r.reminders > 0 && <Tag color="orange">{`已催办 ${r.reminders} 次`}</Tag>}
      </Space>
      {page.late && <Alert type="error" showIcon message={`被监督单位第 ${r.round} 次反馈已逾期，请催办。`} style={{ marginBottom: 12 }} data-testid="letter-late" />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="letter-error" />}
      <Card size="small" className="qf-card" title="发现的问题" style={{ marginBottom: 12 }}>
        <List size="small" dataSource={page.problems} renderItem={(p, i) => <List.Item data-testid="letter-problem">{`${i + 1}. ${p}`}</List.Item>} />
        <Typography.Paragraph style={{ marginTop: 8 }}><Typography.Text strong>{r.kind === "reminder" ? "提醒事项：" : "监督建议："}</Typography.Text>{page.suggestions}</Typography.Paragraph>
        <Typography.Text type="secondary">{page.feedback_due ? `反馈截止日期 ${page.feedback_due}` : `签发后 ${page.feedback_working_days} 个工作日内反馈`}</Typography.Text>
      </Card>
      <Card size="small" className="qf-card" title="反馈情况" style={{ marginBottom: 12 }}>
        <List
          data-testid="letter-feedback"
          locale={{ emptyText: r.status === "drafted" ? "尚未签发" : "尚未收到反馈" }}
          dataSource={page.feedback}
          renderItem={(f) => (
            <List.Item data-testid="feedback-row">
              <List.Item.Meta
                title={<Space wrap>{`第 ${f.round} 次反馈 ${f.date}`}<Tag color={f.on_time ? "green" : "red"}>{f.on_time ? "按期" : "超期"}</Tag><Tag>{f.outcome_label}</Tag></Space>}
                description={
                  <>
                    <div>{f.content}</div>
                    <div>{`已整改问题：${f.rectified.length ? f.rectified.join("、") : "无"}；证明材料 ${f.evidence.length} 份`}{f.evidence.length > 0 && `（${f.evidence.map((e) => e.name).join("、")}）`}</div>
                    {f.review_note && <div>{`审核意见：${f.review_note}`}</div>}
                  </>
                }
              />
            </List.Item>
          )}
        />
        {page.reminders.length > 0 && (
          <>
            <Typography.Text strong>催办记录</Typography.Text>
            {page.reminders.map((m, i) => <div key={i}>{`${m.date} ${m.note || "催办"}`}</div>)}
          </>
        )}
      </Card>
      <Space wrap>
        {(r.status === "drafted" || issued) && (
          <NoticeButton kind={noticeKind(r.kind)} record={{ kind: "letter", id: r.id }} onIssued={() => { setIssued(true); void load(); }} />
        )}
        {can("record_feedback") && <Button type="primary" data-testid="letter-feedback-open" onClick={() => { form.setFieldsValue({ date: beijingToday(), content: "", rectified: [] }); setFiles([]); setFeedbackOpen(true); }}>录入反馈</Button>}
        {can("accept") && <Button type="primary" data-testid="letter-accept" onClick={() => void step({ ...empty, step: "accept", note: "整改到位，予以采纳" }, "已采纳反馈，本件办结。")}>采纳反馈</Button>}
        {can("send_back") && <Button danger data-testid="letter-send-back" onClick={() => { setNote(""); setNoteFor("send_back"); }}>退回重新反馈</Button>}
        {can("remind") && <Button data-testid="letter-remind" onClick={() => { setNote(""); setNoteFor("remind"); }}>催办</Button>}
      </Space>
      <Modal
        open={feedbackOpen}
        title="录入反馈"
        okText="保存"
        cancelText="取消"
        width={640}
        okButtonProps={{ "data-testid": "modal-submit" } as never}
        onCancel={() => setFeedbackOpen(false)}
        onOk={async () => {
          const v = form.getFieldsValue();
          const ok = await step(
            { ...empty, step: "record_feedback", date: v.date ? v.date.format("YYYY-MM-DD") : "", content: v.content ?? "", rectified: v.rectified ?? [], files },
            "已录入反馈，请审核后采纳或退回。",
          );
          if (ok) setFeedbackOpen(false);
        }}
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="modal-error" />}
        <Form form={form} layout="vertical">
          <Form.Item name="date" label="反馈日期"><DatePicker style={{ width: "100%" }} data-testid="feedback-date" /></Form.Item>
          <Form.Item name="content" label="反馈内容"><Input.TextArea rows={4} data-testid="feedback-content" placeholder="整改措施和完成情况" /></Form.Item>
          <Form.Item name="rectified" label="已整改的问题">
            <Checkbox.Group options={page.problems.map((p, i) => ({ value: i + 1, label: <span data-testid={`rectified-${i + 1}`}>{`${i + 1}. ${p}`}</span> }))} data-testid="feedback-rectified" />
          </Form.Item>
        </Form>
        <Space>
          <Button onClick={async () => { try { setFiles([...files, ...(await api.checklistPickEvidence())]); } catch (e) { setError(errorMessage(e)); } }}>选择证明材料</Button>
          <span>{files.length ? files.map((f) => f.name).join("、") : "未选择"}</span>
        </Space>
      </Modal>
      <Modal
        open={noteFor !== null}
        title={noteFor === "send_back" ? "退回重新反馈" : "催办"}
        okText={noteFor === "send_back" ? "退回" : "催办"}
        cancelText="取消"
        onCancel={() => setNoteFor(null)}
        onOk={() => {
          const which = noteFor;
          setNoteFor(null);
          void step({ ...empty, step: which ?? "remind", note }, which === "send_back" ? "已退回，单位须重新反馈。" : "已催办。");
        }}
      >
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={noteFor === "send_back" ? "请写明退回理由（必填）" : "催办说明（可不填）"} data-testid="letter-note" />
      </Modal>
    </div>
  );
}

type DraftValues = { kind: LetterKind; topic: ReminderTopic | null; unit: string; title: string; problems: string; suggestions: string; days: number | null };

function DraftLetter({ onDone }: { onDone: (id: string) => void }) {
  const api = useApi();
  const [form] = Form.useForm<DraftValues>();
  const kind = Form.useWatch("kind", form);
  const [error, setError] = useState<string | null>(null);
  async function submit(v: DraftValues) {
    setError(null);
    try {
      const page = await api.letterRegister({
        kind: v.kind,
        topic: v.kind === "reminder" ? (v.topic ?? null) : null,
        unit: v.unit ?? "",
        title: v.title ?? "",
        problems: (v.problems ?? "").split("\n"),
        suggestions: v.suggestions ?? "",
        feedback_working_days: v.days ?? null,
        feedback_due: null,
      });
      form.resetFields();
      onDone(page.row.id);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <Card size="small" className="qf-card" title="拟制监督建议书或提醒函" data-testid="letter-draft">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="draft-error" />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: "suggestion", topic: "integrity", days: 30 }}>
        <Row gutter={12}>
          <Col span={6}><Form.Item name="kind" label="文书"><Select data-testid="draft-kind" options={[{ value: "suggestion", label: "监督建议书" }, { value: "reminder", label: "提醒函" }]} /></Form.Item></Col>
          {kind === "reminder" && <Col span={6}><Form.Item name="topic" label="提醒类别"><Select options={[{ value: "integrity", label: "廉政提醒" }, { value: "duty", label: "履职提醒" }]} /></Form.Item></Col>}
          <Col span={kind === "reminder" ? 6 : 12}><Form.Item name="unit" label="被监督单位"><Input data-testid="draft-unit" placeholder="某某县住建局" /></Form.Item></Col>
          <Col span={6}><Form.Item name="days" label="反馈期限（工作日）"><InputNumber min={1} max={120} style={{ width: "100%" }} data-testid="draft-days" /></Form.Item></Col>
        </Row>
        <Form.Item name="title" label="标题"><Input data-testid="draft-title" placeholder="关于加强工程项目监管的监督建议" /></Form.Item>
        <Form.Item name="problems" label="发现的问题（每行一个）"><Input.TextArea rows={3} data-testid="draft-problems" /></Form.Item>
        <Form.Item name="suggestions" label={kind === "reminder" ? "提醒事项" : "监督建议"}><Input.TextArea rows={3} data-testid="draft-suggestions" /></Form.Item>
        <Button type="primary" htmlType="submit" data-testid="draft-submit">保存拟稿</Button>
      </Form>
    </Card>
  );
}

function Letters({ initial }: { initial: string | null }) {
  const api = useApi();
  const [rows, setRows] = useState<LetterRow[] | null>(null);
  // A row of 工作台 opens its letter directly.
  const [open, setOpen] = useState<string | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setRows(await api.letterList());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);
  useEffect(() => {
    if (open === null) void load();
  }, [load, open]);
  if (open) return <LetterPage id={open} onBack={() => setOpen(null)} />;
  return (
    <>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<LetterRow>
        size="small"
        rowKey="id"
        data-testid="letter-list"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description="还没有监督建议书或提醒函" /> }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: "pointer" }, "data-testid": "letter-row" } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: "文号", width: 170, render: (_, r) => r.number ?? "（未签发）" },
          { title: "文书", dataIndex: "kind_label", width: 150 },
          { title: "被监督单位", dataIndex: "unit" },
          { title: "标题", dataIndex: "title" },
          { title: "状态", width: 110, render: (_, r) => <Tag color={statusColor(r.status)}>{r.status_label}</Tag> },
          { title: "反馈期限", width: 230, render: (_, r) => <DeadlineTag row={r} /> },
          { title: "整改", width: 70, render: (_, r) => `${r.problems_rectified}/${r.problems_total}` },
        ]}
      />
      <div style={{ marginTop: 16 }}><DraftLetter onDone={(id) => setOpen(id)} /></div>
    </>
  );
}

function Circulars() {
  const api = useApi();
  const [rows, setRows] = useState<CircularRow[] | null>(null);
  // The circular just issued keeps its dialog open, so the officer can print it there.
  const [justIssued, setJustIssued] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ title: string; period: [dayjs.Dayjs, dayjs.Dayjs] }>();
  const load = useCallback(async () => {
    try {
      setRows(await api.circularList());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);
  async function draft(v: { title: string; period: [dayjs.Dayjs, dayjs.Dayjs] }) {
    setError(null);
    try {
      await api.circularDraft({ title: v.title ?? "", period_from: v.period?.[0]?.format("YYYY-MM-DD") ?? "", period_to: v.period?.[1]?.format("YYYY-MM-DD") ?? "" });
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="circular-error" />}
      <Card size="small" className="qf-card" title="依据期间内的监督建议和提醒函拟制通报" style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={draft} initialValues={{ title: "关于监督建议和提醒事项落实情况的通报", period: [beijingToday().startOf("year"), beijingToday()] }}>
          <Form.Item name="title"><Input style={{ width: 360 }} data-testid="circular-title" /></Form.Item>
          <Form.Item name="period"><DatePicker.RangePicker data-testid="circular-period" /></Form.Item>
          <Button type="primary" htmlType="submit" data-testid="circular-draft">生成通报</Button>
        </Form>
      </Card>
      <List
        data-testid="circular-list"
        locale={{ emptyText: <Empty description="还没有监督通报" /> }}
        dataSource={rows ?? []}
        renderItem={(c) => (
          <Card size="small" className="qf-card" style={{ marginBottom: 12 }} data-testid="circular-row"
            title={<Space wrap>{c.title}<Tag color={c.issued ? "default" : "blue"}>{c.status_label}</Tag>{c.number && <Tag>{c.number}</Tag>}</Space>}
            extra={(!c.issued || justIssued === c.id) && <NoticeButton kind="circular" record={{ kind: "circular", id: c.id }} onIssued={() => { setJustIssued(c.id); void load(); }} />}
          >
            <Typography.Text type="secondary">{`${c.period_from} 至 ${c.period_to}，点名 ${c.units.length} 个单位`}</Typography.Text>
            {c.units.map((u, i) => <div key={u.unit} data-testid="circular-unit">{`${i + 1}. ${u.unit}：${u.problems.join("；")}`}</div>)}
          </Card>
        )}
      />
    </>
  );
}

function Stats() {
  const api = useApi();
  const [period, setPeriod] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([beijingToday().startOf("year"), beijingToday().endOf("year")]);
  const [stats, setStats] = useState<SupervisionStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .supervisionStats(period[0].format("YYYY-MM-DD"), period[1].format("YYYY-MM-DD"))
      .then((s) => { setStats(s); setError(null); })
      .catch((e) => setError(errorMessage(e)));
  }, [api, period]);
  const items: Array<[string, keyof SupervisionStats, string]> = [
    ["发送监督建议书", "suggestions_sent", "份"],
    ["发送提醒函", "reminder_letters_sent", "份"],
    ["收到反馈", "feedback_received", "份"],
    ["按期反馈", "feedback_on_time", "份"],
    ["完成反馈（已采纳）", "feedback_completed", "份"],
    ["逾期未反馈", "feedback_overdue", "份"],
    ["退回重新反馈", "feedback_sent_back", "次"],
    ["催办", "reminders_sent", "次"],
    ["指出问题", "problems_total", "个"],
    ["推动整改问题", "problems_rectified", "个"],
    ["签发监督通报", "circulars_issued", "期"],
    ["通报存在问题单位", "units_named", "家"],
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <span>按签发日期统计：</span>
        <DatePicker.RangePicker value={period} onChange={(v) => v?.[0] && v[1] && setPeriod([v[0], v[1]])} allowClear={false} data-testid="stats-period" />
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {stats && (
        <Row gutter={[12, 12]} data-testid="supervision-stats">
          {items.map(([label, key, unit]) => (
            <Col key={key} xs={12} md={8} xl={6}>
              <Card size="small" className="qf-card"><Statistic title={label} value={stats[key]} suffix={unit} data-testid={`stat-${key}`} /></Card>
            </Col>
          ))}
        </Row>
      )}
      {stats && stats.letters_sent > 0 && (
        <Descriptions size="small" style={{ marginTop: 12 }} items={[
          { key: "rate", label: "按期反馈率", children: `${Math.round((stats.feedback_on_time * 100) / stats.letters_sent)}%` },
          { key: "fix", label: "问题整改率", children: stats.problems_total ? `${Math.round((stats.problems_rectified * 100) / stats.problems_total)}%` : "—" },
        ]} />
      )}
    </>
  );
}

export function SupervisionScreen({ letter = null }: { letter?: string | null }) {
  return (
    <div data-testid="supervision-screen">
      <PageHead title="监督建议" sub="监督建议书、提醒函（一书两提醒）的签发、反馈和催办，监督通报和统计" />
      <Tabs
        items={[
          { key: "letters", label: <span data-testid="tab-letters">监督建议和提醒函</span>, children: <Letters initial={letter} /> },
          { key: "circulars", label: <span data-testid="tab-circulars">监督通报</span>, children: <Circulars /> },
          { key: "stats", label: <span data-testid="tab-stats">统计</span>, children: <Stats /> },
        ]}
      />
    </div>
  );
}
