// 廉政档案: the organisation department's requests for integrity opinions (register a list of
// cadres, see what bears on each, confirm suggested records on their files, edit the proposed
// conclusions, submit, approve, issue the numbered reply), cadres' files (every reading logged with
// its purpose), and the unit profile (单位画像) with each unit's score as a colour.
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Drawer, Empty, Form, Input, List, Modal, Row, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { Band, CadreFile, CadreSummary, OpinionPage, OpinionRequestForm, OpinionRow, Purpose, UnitCategory, UnitRow } from "../../bindings";
import { PageHead, beijingToday } from "../complaints/common";
import { NoticeButton } from "../notices/NoticeButton";

const PURPOSES: Array<{ value: Purpose; label: string }> = [
  { value: "promotion", label: "提拔任用" },
  { value: "award", label: "评先评优" },
  { value: "nomination", label: "推荐提名" },
  { value: "other", label: "其他事项" },
];

const CATEGORIES: Array<{ value: UnitCategory; label: string }> = [
  { value: "party_government", label: "党政机关" },
  { value: "institution", label: "事业单位" },
  { value: "state_enterprise", label: "国有企业" },
  { value: "school", label: "学校" },
  { value: "township", label: "乡镇（街道）" },
  { value: "other", label: "其他" },
];

const BAND_COLORS: Record<Band, string> = { green: "green", yellow: "gold", orange: "orange", red: "red" };

const LIGHT_COLORS: Record<string, string> = { green: "green", yellow: "gold", red: "red", done: "default", cancelled: "default" };

function statusColor(status: string): string {
  return { draft: "blue", submitted: "gold", approved: "cyan", replied: "default" }[status] ?? "default";
}

/** A cadre's file in a drawer: asks why it is read (the reading is logged), then shows it. */
function FileDrawer({ cadre, purpose, onClose, onChanged }: { cadre: string | null; purpose: string; onClose: () => void; onChanged: () => void }) {
  const api = useApi();
  const { modal } = App.useApp();
  const [file, setFile] = useState<CadreFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!cadre) return;
    setError(null);
    try {
      setFile(await api.integrityFile(cadre, purpose));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api, cadre, purpose]);
  useEffect(() => {
    setFile(null);
    void load();
  }, [load]);
  async function decide(record: string, step: "confirm" | "split") {
    let note = "";
    if (step === "split") {
      const ok = await new Promise<boolean>((resolve) => {
        modal.confirm({
          title: "分开（非本人）",
          content: <Input.TextArea data-testid="split-note" rows={3} placeholder="请说明为何不是本人，例如：出生年月不同" onChange={(e) => (note = e.target.value)} />,
          okText: "确定分开",
          cancelText: "取消",
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      });
      if (!ok) return;
    }
    try {
      await api.integrityMatch(cadre!, record, step, note);
      await load();
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <Drawer open={cadre !== null} onClose={onClose} width={720} title={file ? `${file.cadre.name}的廉政档案` : "廉政档案"} data-testid="file-drawer">
      {error && <Alert type="error" showIcon message={error} data-testid="file-error" />}
      {file && (
        <>
          <Descriptions size="small" column={2} items={[
            { key: "unit", label: "单位", children: file.cadre.unit },
            { key: "post", label: "职务", children: file.cadre.post || "—" },
            { key: "id", label: "身份证号", children: file.cadre.id_masked ?? "未填写" },
            { key: "split", label: "已分开的同名记录", children: `${file.split} 条` },
          ]} />
          <Typography.Title level={5}>涉及本人的记录</Typography.Title>
          <List
            data-testid="file-records"
            locale={{ emptyText: "未发现涉及本人的记录" }}
            dataSource={file.records}
            renderItem={(r) => (
              <List.Item
                data-testid="file-record"
                actions={[
                  r.steps.includes("confirm") && (
                    <Button key="c" size="small" type="primary" data-testid="record-confirm" onClick={() => void decide(r.record, "confirm")}>确认为本人</Button>
                  ),
                  r.steps.includes("split") && (
                    <Button key="s" size="small" data-testid="record-split" onClick={() => void decide(r.record, "split")}>非本人，分开</Button>
                  ),
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  title={<Space>{r.kind_label}<span>{r.label}</span><Tag color={r.confirmed ? "green" : "orange"}>{r.state_label}</Tag></Space>}
                  description={`${r.date} · ${r.unit || "未写单位"}`}
                />
              </List.Item>
            )}
          />
          {file.opinions.length > 0 && (
            <>
              <Typography.Title level={5}>廉政意见回复</Typography.Title>
              {file.opinions.map((o) => <div key={o}>{o}</div>)}
            </>
          )}
          <Typography.Title level={5}>查阅记录</Typography.Title>
          <List size="small" data-testid="file-readings" dataSource={file.readings.slice(0, 10)} renderItem={(r) => <List.Item>{`${r.read_at} ${r.read_by}：${r.purpose}`}</List.Item>} />
        </>
      )}
    </Drawer>
  );
}

/** One request's page: each person's findings and conclusion, and the steps open to the viewer. */
function RequestPage({ id, onBack }: { id: string; onBack: () => void }) {
  const api = useApi();
  const { message } = App.useApp();
  const [page, setPage] = useState<OpinionPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [fileOf, setFileOf] = useState<string | null>(null);
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState("");
  // The notice dialog stays up after issuing (it shows the number and the print panel) although the
  // page no longer offers the step; it goes with the next visit to the page.
  const [issued, setIssued] = useState(false);
  const load = useCallback(async () => {
    try {
      const p = await api.opinionPage(id);
      setPage(p);
      setDrafts(Object.fromEntries(p.persons.map((x) => [x.ord, x.conclusion])));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api, id]);
  useEffect(() => {
    void load();
  }, [load]);
  async function step(form: Parameters<typeof api.opinionStep>[1], done: string) {
    setError(null);
    try {
      const p = await api.opinionStep(id, form);
      setPage(p);
      setDrafts(Object.fromEntries(p.persons.map((x) => [x.ord, x.conclusion])));
      message.success(done);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  if (!page) return error ? <Alert type="error" showIcon message={error} /> : null;
  const can = (s: string) => page.steps.includes(s as never);
  const d = page.deadline;
  return (
    <div data-testid="opinion-page">
      <PageHead
        title={`${page.requester}《${page.request_ref}》`}
        sub={`${page.purpose_label}${page.purpose_note ? `：${page.purpose_note}` : ""} · ${page.received_date} 收函`}
        extra={<Button onClick={onBack} data-testid="opinion-back">返回列表</Button>}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag color={statusColor(page.status)} data-testid="opinion-status">{page.status_label}</Tag>
        {d && <Tag color={LIGHT_COLORS[d.light]} data-testid="opinion-deadline">{d.status === "done" ? `已于 ${d.closed_date ?? ""} 回复` : `回复期限 ${d.due}（剩 ${d.working_days_left} 个工作日）`}</Tag>}
        {page.reply_number && <Tag data-testid="opinion-number">回复文号 {page.reply_number}</Tag>}
      </Space>
      {page.return_note && <Alert type="warning" showIcon message={`领导退回：${page.return_note}`} style={{ marginBottom: 12 }} />}
      {page.waiting && <Alert type="info" showIcon message={page.waiting} style={{ marginBottom: 12 }} data-testid="opinion-waiting" />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="opinion-error" />}
      {page.persons.map((p) => (
        <Card
          key={p.ord}
          size="small"
          className="qf-card"
          style={{ marginBottom: 12 }}
          data-testid="opinion-person"
          title={`${p.ord}. ${p.name}（${p.unit}${p.post}）`}
          extra={<Button size="small" data-testid="person-file" onClick={() => setFileOf(p.cadre_id)}>查看廉政档案</Button>}
        >
          {p.findings.length === 0 ? (
            <Typography.Text type="secondary">未发现涉及本人的记录。</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={p.findings}
              renderItem={(f) => (
                <List.Item data-testid="person-finding">
                  <Space wrap>
                    <Tag color={f.bears ? "red" : "default"}>{f.kind_label}</Tag>
                    {!f.confirmed && <Tag color="orange">疑似，待在档案中确认</Tag>}
                    <span>{f.reason}</span>
                    <Typography.Text type="secondary">{f.label}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          )}
          {p.unresolved > 0 && <Alert type="warning" showIcon message={`有 ${p.unresolved} 条疑似记录待确认或分开，确认后才能提交审批。`} style={{ margin: "8px 0" }} />}
          <Typography.Text strong>回复意见{p.edited ? "（经办人已修改）" : "（按记录拟定）"}</Typography.Text>
          {can("edit") ? (
            <>
              <Input.TextArea
                rows={3}
                data-testid="person-conclusion"
                value={drafts[p.ord] ?? ""}
                onChange={(e) => setDrafts({ ...drafts, [p.ord]: e.target.value })}
              />
              <Space style={{ marginTop: 6 }}>
                <Button size="small" data-testid="person-save" disabled={drafts[p.ord] === p.conclusion} onClick={() => void step({ step: "edit", ord: p.ord, text: drafts[p.ord] ?? "", note: null }, `第 ${p.ord} 人的意见已保存。`)}>保存意见</Button>
                {p.edited && <Button size="small" onClick={() => setDrafts({ ...drafts, [p.ord]: p.proposed })}>恢复拟定意见</Button>}
              </Space>
            </>
          ) : (
            <Typography.Paragraph data-testid="person-conclusion-text">{p.conclusion}</Typography.Paragraph>
          )}
        </Card>
      ))}
      <Space>
        {can("submit") && <Button type="primary" data-testid="opinion-submit" onClick={() => void step({ step: "submit", ord: null, text: null, note: null }, "已提交领导审批。")}>提交审批</Button>}
        {can("approve") && <Button type="primary" data-testid="opinion-approve" onClick={() => void step({ step: "approve", ord: null, text: null, note: "同意" }, "已批准。")}>批准</Button>}
        {can("return") && <Button danger data-testid="opinion-return" onClick={() => setReturning(true)}>退回修改</Button>}
        {(can("reply") || issued) && (
          <NoticeButton
            kind="integrity_reply"
            record={{ kind: "opinion", id: page.id }}
            onIssued={() => {
              setIssued(true);
              void load();
            }}
          />
        )}
      </Space>
      <Modal open={returning} title="退回修改" okText="退回" cancelText="取消" onCancel={() => setReturning(false)} onOk={() => { setReturning(false); void step({ step: "return", ord: null, text: null, note }, "已退回经办人。"); }}>
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="请写明退回理由" data-testid="return-note" />
      </Modal>
      <FileDrawer cadre={fileOf} purpose={`办理廉政意见回复（${page.request_ref}）`} onClose={() => setFileOf(null)} onChanged={() => void load()} />
    </div>
  );
}

type RequestValues = Omit<OpinionRequestForm, "received_date" | "reply_working_days"> & { received_date: dayjs.Dayjs };

function RegisterRequest({ onDone }: { onDone: (id: string) => void }) {
  const api = useApi();
  const [form] = Form.useForm<RequestValues>();
  const [error, setError] = useState<string | null>(null);
  async function submit(v: RequestValues) {
    setError(null);
    try {
      const id = await api.opinionRegister({
        requester: v.requester ?? "",
        request_ref: v.request_ref ?? "",
        purpose: v.purpose,
        purpose_note: v.purpose_note ?? "",
        received_date: v.received_date ? v.received_date.format("YYYY-MM-DD") : "",
        reply_working_days: null,
        persons: (v.persons ?? []).map((p) => ({ name: p.name ?? "", unit: p.unit ?? "", post: p.post ?? "", id_number: p.id_number || null })),
      });
      form.resetFields();
      onDone(id);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <Card size="small" className="qf-card" title="登记征求意见函" data-testid="opinion-register">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="register-error" />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ purpose: "promotion", received_date: beijingToday(), persons: [{}] }}>
        <Row gutter={12}>
          <Col span={8}><Form.Item name="requester" label="来函单位"><Input data-testid="req-requester" placeholder="中共某某县委组织部" /></Form.Item></Col>
          <Col span={8}><Form.Item name="request_ref" label="来函文号"><Input data-testid="req-ref" placeholder="县组函〔2026〕15号" /></Form.Item></Col>
          <Col span={8}><Form.Item name="received_date" label="收函日期"><DatePicker style={{ width: "100%" }} data-testid="req-date" /></Form.Item></Col>
          <Col span={8}><Form.Item name="purpose" label="事由"><Select options={PURPOSES} data-testid="req-purpose" /></Form.Item></Col>
          <Col span={16}><Form.Item name="purpose_note" label="具体事项"><Input data-testid="req-note" placeholder="拟提拔为副科级领导干部" /></Form.Item></Col>
        </Row>
        <Typography.Text strong>干部名单</Typography.Text>
        <Form.List name="persons">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Row gutter={8} key={f.key} data-testid="req-person">
                  <Col span={1} style={{ paddingTop: 6 }}>{i + 1}</Col>
                  <Col span={5}><Form.Item name={[f.name, "name"]}><Input placeholder="姓名" data-testid="req-person-name" /></Form.Item></Col>
                  <Col span={6}><Form.Item name={[f.name, "unit"]}><Input placeholder="单位" data-testid="req-person-unit" /></Form.Item></Col>
                  <Col span={5}><Form.Item name={[f.name, "post"]}><Input placeholder="职务" data-testid="req-person-post" /></Form.Item></Col>
                  <Col span={5}><Form.Item name={[f.name, "id_number"]}><Input placeholder="身份证号（可不填）" /></Form.Item></Col>
                  <Col span={2}><Button onClick={() => remove(f.name)}>删除</Button></Col>
                </Row>
              ))}
              <Button onClick={() => add({})} data-testid="req-add-person">增加一人</Button>
            </>
          )}
        </Form.List>
        <div style={{ marginTop: 12 }}><Button type="primary" htmlType="submit" data-testid="req-submit">登记</Button></div>
      </Form>
    </Card>
  );
}

function Requests() {
  const api = useApi();
  const [rows, setRows] = useState<OpinionRow[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setRows(await api.opinionList());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);
  useEffect(() => {
    if (open === null) void load();
  }, [load, open]);
  if (open) return <RequestPage id={open} onBack={() => setOpen(null)} />;
  return (
    <>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<OpinionRow>
        size="small"
        rowKey="id"
        data-testid="opinion-list"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description="还没有征求意见函" /> }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: "pointer" }, "data-testid": "opinion-row" } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: "收函日期", dataIndex: "received_date", width: 110 },
          { title: "来函", render: (_, r) => `${r.requester}《${r.request_ref}》` },
          { title: "事由", dataIndex: "purpose_label", width: 100 },
          { title: "人数", dataIndex: "persons", width: 60 },
          { title: "状态", width: 120, render: (_, r) => <Tag color={statusColor(r.status)}>{r.status_label}</Tag> },
          { title: "回复期限", width: 140, render: (_, r) => r.deadline ? <Tag color={LIGHT_COLORS[r.deadline.light]}>{r.deadline.status === "done" ? "已回复" : r.deadline.due}</Tag> : "—" },
          { title: "回复文号", dataIndex: "reply_number", width: 160, render: (v: string | null) => v ?? "—" },
        ]}
      />
      <div style={{ marginTop: 16 }}><RegisterRequest onDone={(id) => setOpen(id)} /></div>
    </>
  );
}

function Cadres() {
  const api = useApi();
  const [search, setSearch] = useState("");
  const [rows, setRows] = useState<CadreSummary[]>([]);
  const [purpose, setPurpose] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (text: string) => {
    try {
      setRows(await api.integrityCadres(text));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);
  useEffect(() => {
    void load("");
  }, [load]);
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search placeholder="姓名或单位" allowClear onSearch={(v) => { setSearch(v); void load(v); }} data-testid="cadre-search" style={{ width: 260 }} />
        <Input placeholder="查阅事由（必填，记入查阅记录）" value={purpose} onChange={(e) => setPurpose(e.target.value)} data-testid="cadre-purpose" style={{ width: 320 }} />
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<CadreSummary>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: <Empty description={search ? "没有符合条件的干部" : "干部名录为空：登记征求意见函时会自动录入"} /> }}
        columns={[
          { title: "姓名", dataIndex: "name", width: 120 },
          { title: "单位", dataIndex: "unit" },
          { title: "职务", dataIndex: "post" },
          { title: "身份证号", dataIndex: "id_masked", render: (v: string | null) => v ?? "未填写" },
          { title: "", width: 120, render: (_, r) => <Button size="small" data-testid="cadre-open" disabled={!purpose.trim()} onClick={() => setOpen(r.id)}>查阅档案</Button> },
        ]}
      />
      <FileDrawer cadre={open} purpose={purpose} onClose={() => setOpen(null)} onChanged={() => {}} />
    </>
  );
}

function Units() {
  const api = useApi();
  const [rows, setRows] = useState<UnitRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; category: UnitCategory; aliases: string }>();
  const load = useCallback(async () => {
    try {
      setRows(await api.integrityUnits());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);
  async function add(v: { name: string; category: UnitCategory; aliases: string }) {
    setError(null);
    try {
      const aliases = (v.aliases ?? "").split(/[、,，\s]+/).filter((a) => a.trim());
      await api.integrityUnitRegister({ name: v.name ?? "", category: v.category, aliases });
      form.resetFields();
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Table<UnitRow>
        size="small"
        rowKey="id"
        data-testid="unit-list"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description="还没有录入单位" /> }}
        columns={[
          { title: "单位", render: (_, r) => <>{r.name}{r.aliases.length > 0 && <Typography.Text type="secondary">（又称 {r.aliases.join("、")}）</Typography.Text>}</> },
          { title: "类别", dataIndex: "category_label", width: 110 },
          { title: "画像得分", width: 160, render: (_, r) => <Tag color={BAND_COLORS[r.profile.band]} data-testid="unit-score">{r.profile.score} 分 · {r.profile.band_label}</Tag> },
          { title: "扣分情况", render: (_, r) => r.profile.deductions.length === 0 ? "无扣分" : r.profile.deductions.map((d) => `${d.label} ${d.count} 项扣 ${d.points} 分`).join("；") },
        ]}
      />
      <Card size="small" className="qf-card" title="录入单位" style={{ marginTop: 16 }}>
        <Form form={form} layout="inline" onFinish={add} initialValues={{ category: "party_government" }}>
          <Form.Item name="name"><Input placeholder="单位名称" data-testid="unit-name" /></Form.Item>
          <Form.Item name="category"><Select options={CATEGORIES} style={{ width: 140 }} /></Form.Item>
          <Form.Item name="aliases"><Input placeholder="简称或曾用名（用顿号分隔）" style={{ width: 260 }} /></Form.Item>
          <Button type="primary" htmlType="submit" data-testid="unit-add">录入</Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          得分为 100 分减去近期的处分、逾期整改、重复举报和逾期反馈扣分，扣分标准在“系统设置”中调整。
        </Typography.Paragraph>
      </Card>
    </>
  );
}

export function IntegrityScreen() {
  return (
    <div data-testid="integrity-screen">
      <PageHead title="廉政档案" sub="廉政意见回复、干部廉政档案和单位画像；每次查阅档案都会记录查阅人和事由" />
      <Tabs
        items={[
          { key: "requests", label: "廉政意见回复", children: <Requests /> },
          { key: "cadres", label: "干部档案", children: <Cadres /> },
          { key: "units", label: "单位画像", children: <Units /> },
        ]}
      />
    </div>
  );
}
