// 处分决定执行: one decision — the person, the penalty, the influence period and the flow of
// execution items with the current item's form and the reviewer's decision.
import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Skeleton, Space, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useCallback, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { PenaltyDetail } from "../../bindings";
import { CHECKLIST_STATUS_LABELS } from "../../labels";
import { DATE_FORMAT, PageHead, beijingToday, isoDate, textOrNull, todayIso } from "../complaints/common";
import { ChecklistFlow } from "./ChecklistFlow";
import { ItemLight, periodText, useRecord, yuan } from "./common";
import { usePenaltyNav } from "./nav";

function statusOf(p: PenaltyDetail["form"]["person"]): string {
  const marks = [p.party_member ? "中共党员" : "非中共党员"];
  if (p.deputy) marks.push("人大代表");
  if (p.cppcc_member) marks.push("政协委员");
  if (p.non_party_cadre) marks.push("党外干部");
  return marks.join("、");
}

function InfluenceCard({ d }: { d: PenaltyDetail }) {
  const span = d.influence_period;
  return (
    <Card size="small" title="影响期" className="qf-card" data-testid="influence-card">
      {span ? (
        <Typography.Paragraph data-testid="influence-span">
          {span.start} 至 {span.permanent ? "永久" : span.end}
        </Typography.Paragraph>
      ) : (
        <Typography.Text type="secondary">无影响期</Typography.Text>
      )}
      {d.periods.map((p) => (
        <div key={`${p.system}:${p.penalty}`} className="qf-list-note">
          {periodText(p)}
        </div>
      ))}
      {d.report_due && (
        <div className="qf-list-note">
          执行情况报告期限：{d.report_due} <ItemLight light={d.report_light} />
        </div>
      )}
    </Card>
  );
}

/**
 * 以案促改: the reform-by-case list that follows this decision in the penalised person's unit, or
 * the button that starts it (the core says whether this viewer may). The tasks come from the
 * office's reform template; the officer names only their completion date and, if it is not the
 * person's own unit, the unit responsible.
 */
function ReformCard({ d }: { d: PenaltyDetail }) {
  const api = useApi();
  const nav = usePenaltyNav();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ due?: Dayjs | null; unit?: string }>();
  const r = d.reform;
  if (!r && !d.may_start_reform) return null;

  async function start() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const list = await api.rectificationRegister({
        title: "",
        source: "reform_by_case",
        start_date: todayIso(),
        items: [],
        template: null,
        responsible_unit: textOrNull(v.unit),
        due_date: isoDate(v.due ?? null),
        sequential: false,
        penalty_id: d.id,
      });
      setOpen(false);
      nav.go({ page: "rectification", id: list.id, initial: list });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title="以案促改" className="qf-card qf-card-gap" data-testid="reform-card">
      {r ? (
        <Space wrap>
          <Typography.Link data-testid="reform-link" onClick={() => nav.go({ page: "rectification", id: r.id })}>
            {r.title}
          </Typography.Link>
          <Tag color={r.status === "done" ? "success" : "processing"}>{CHECKLIST_STATUS_LABELS[r.status] ?? r.status}</Tag>
          <span data-testid="reform-progress">
            已完成 {r.items_done} / {r.items_total} 项，指导意见 {r.guidance} 条
          </span>
        </Space>
      ) : (
        <Space wrap>
          <Typography.Text type="secondary">处分决定执行的同时，督促{d.form.person.unit}剖析案发原因、堵塞制度漏洞。</Typography.Text>
          <Button type="primary" onClick={() => setOpen(true)} data-testid="reform-start">
            发起以案促改
          </Button>
        </Space>
      )}
      <Modal
        open={open}
        title="发起以案促改"
        okText="新建以案促改清单"
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => void start()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        okButtonProps={{ "data-testid": "reform-confirm" } as Record<string, string>}
      >
        <Typography.Paragraph type="secondary">
          按以案促改任务清单（召开案情通报会、剖析案发原因、专题民主生活会、建章立制、报送工作情况报告）依次办理，每项经审核通过后开启下一项。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="due" label="全部任务完成期限" rules={[{ required: true, message: "请选择完成期限" }]}>
            <DatePicker
              data-testid="reform-due"
              format={DATE_FORMAT}
              disabledDate={(x) => x.isBefore(beijingToday(), "day")}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item name="unit" label="责任单位" extra={`不填则为受处分人所在单位：${d.form.person.unit}`}>
            <Input data-testid="reform-unit" maxLength={100} placeholder={d.form.person.unit} />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon message={error} data-testid="reform-error" />}
      </Modal>
    </Card>
  );
}

export function PenaltyPage({ id, initial }: { id: string; initial?: PenaltyDetail }) {
  const api = useApi();
  const nav = usePenaltyNav();
  const fetch = useCallback(() => api.penaltyShow(id), [api, id]);
  const { detail, error, load } = useRecord(fetch, initial);

  if (!detail) {
    return (
      <div className="qf-page" data-testid="page-penalty">
        {error ? <Alert type="error" showIcon message={error} /> : <Skeleton active />}
      </div>
    );
  }
  const f = detail.form;
  const penalties = [detail.penalty_label];
  return (
    <div className="qf-page" data-testid="page-penalty">
      <PageHead
        title={
          <Space>
            <Typography.Link
              data-testid="penalty-person"
              title="查看此人的全部处分、影响期和待遇登记"
              onClick={() => nav.go({ page: "person", name: f.person.name, unit: f.person.unit })}
            >
              {f.person.name}
            </Typography.Link>
            <Tag color="blue">{penalties.join("")}</Tag>
            <Tag color={detail.status === "executed" ? "success" : "processing"} data-testid="penalty-status">
              {CHECKLIST_STATUS_LABELS[detail.status] ?? detail.status}
            </Tag>
          </Space>
        }
        sub={<span data-testid="penalty-number">{detail.decision_number}</span>}
        extra={<Button onClick={nav.back}>返回</Button>}
      />
      {error && <Alert type="error" showIcon className="qf-block-alert" message={error} />}
      {detail.flags.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="qf-block-alert"
          data-testid="penalty-flags"
          message="影响期内有不应享受的待遇记录"
          description={detail.flags.map((fl) => `${fl.date} ${fl.kind_label}${fl.detail ? `（${fl.detail}）` : ""}：${fl.reason}`).join("；")}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col span={16}>
          <Card size="small" title="处分决定" className="qf-card">
            <Descriptions
              size="small"
              column={2}
              items={[
                { key: "unit", label: "单位职务", children: `${f.person.unit}${f.person.post ? ` ${f.person.post}` : ""}` },
                { key: "rank", label: "职级", children: f.person.rank || "—" },
                { key: "status", label: "身份", children: statusOf(f.person) },
                { key: "body", label: "决定机关", children: f.deciding_body },
                { key: "date", label: "决定日期", children: f.decision_date },
                { key: "approval", label: "批准日期", children: f.approval_date ?? "—" },
                { key: "units", label: "主体责任部门", children: f.responsible_units.join("、") },
                ...(f.confiscate ? [{ key: "conf", label: "收缴", children: yuan(f.confiscate) }] : []),
                ...(f.repay ? [{ key: "repay", label: "责令退赔", children: yuan(f.repay) }] : []),
                ...(f.organisational_handling ? [{ key: "org", label: "组织处理", children: f.organisational_handling }] : []),
              ]}
            />
          </Card>
        </Col>
        <Col span={8}>
          <InfluenceCard d={detail} />
        </Col>
      </Row>
      <ReformCard d={detail} />
      <Card size="small" title="执行事项" className="qf-card qf-flow-card">
        <ChecklistFlow checklistId={detail.id} items={detail.items} currentOrd={detail.current_ord} rectification={false} onChanged={load} />
      </Card>
    </div>
  );
}
