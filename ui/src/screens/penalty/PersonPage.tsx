// 受处分人: one person's decisions with their influence periods, the appraisals, promotions, awards
// and pay steps recorded against them (red when an influence period bars them, with the reason),
// and the form case management records a new one with; the core decides every flag.
import { Alert, Button, Card, DatePicker, Form, Input, Select, Skeleton, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useCallback, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { AppraisalGrade, BenefitForm, BenefitKind, BenefitView, PersonPage as PersonView } from "../../bindings";
import { APPRAISAL_GRADE_LABELS, BENEFIT_KIND_LABELS } from "../../labels";
import { DATE_FORMAT, PageHead, beijingToday, isoDate, testOption } from "../complaints/common";
import { periodText, useRecord } from "./common";
import { usePenaltyNav } from "./nav";

const KIND_OPTIONS = (Object.keys(BENEFIT_KIND_LABELS) as BenefitKind[]).map((value) => ({ value, label: BENEFIT_KIND_LABELS[value] }));
const GRADE_OPTIONS = (Object.keys(APPRAISAL_GRADE_LABELS) as AppraisalGrade[]).map((value) => ({ value, label: APPRAISAL_GRADE_LABELS[value] }));

export type BenefitValues = { kind?: BenefitKind; date?: Dayjs | null; grade?: AppraisalGrade | null; detail?: string };

export const MSG = {
  kind: "请选择登记类别",
  date: "请选择生效日期",
  grade: "年度考核请选择考核等次",
} as const;

/** The form the command needs; a grade goes only with an appraisal, as the core requires. */
export function toBenefit(name: string, unit: string, v: BenefitValues): BenefitForm {
  const kind = v.kind ?? "appraisal";
  return {
    person_name: name,
    person_unit: unit,
    kind,
    date: isoDate(v.date ?? null),
    grade: kind === "appraisal" ? (v.grade ?? null) : null,
    detail: (v.detail ?? "").trim(),
  };
}

function DecisionsCard({ page }: { page: PersonView }) {
  const nav = usePenaltyNav();
  return (
    <Card size="small" title="处分决定及影响期" className="qf-card">
      {page.penalties.length === 0 && <Typography.Text type="secondary">本机关没有此人的处分决定记录。</Typography.Text>}
      {page.penalties.map((p) => (
        <div key={p.id} data-testid="person-penalty" className="qf-person-penalty">
          <Space wrap>
            <Typography.Link data-testid="person-penalty-link" onClick={() => nav.go({ page: "penalty", id: p.id })}>
              {p.decision_number}
            </Typography.Link>
            <Tag color="blue">{p.penalty_label}</Tag>
            <Typography.Text type="secondary">决定日期 {p.decision_date}</Typography.Text>
          </Space>
          {p.periods.length === 0 ? (
            <div className="qf-list-note">无影响期</div>
          ) : (
            p.periods.map((period) => (
              <div key={`${period.system}:${period.penalty}`} className="qf-list-note" data-testid="person-period">
                {periodText(period)}
              </div>
            ))
          )}
        </div>
      ))}
    </Card>
  );
}

function BenefitsCard({ benefits }: { benefits: BenefitView[] }) {
  return (
    <Card size="small" title="考核、晋升、评优和工资档次登记" className="qf-card">
      <Table<BenefitView>
        size="small"
        rowKey="id"
        dataSource={benefits}
        pagination={false}
        locale={{ emptyText: "尚未登记" }}
        onRow={(b) => ({
          className: b.flags.length > 0 ? "qf-benefit-flagged" : undefined,
          "data-testid": "benefit-row",
          "data-flagged": b.flags.length > 0 ? "true" : "false",
        })}
        columns={[
          { key: "kind", title: "类别", width: 120, render: (_, b) => b.kind_label },
          { key: "grade", title: "等次", width: 90, render: (_, b) => (b.grade ? APPRAISAL_GRADE_LABELS[b.grade] : "—") },
          { key: "date", title: "日期", width: 104, dataIndex: "date" },
          { key: "detail", title: "说明", render: (_, b) => b.detail || "—" },
          {
            key: "flags",
            title: "影响期核查",
            width: 320,
            render: (_, b) =>
              b.flags.length > 0 ? (
                <div data-testid="benefit-flag">
                  <Tag color="error">影响期内不应享受</Tag>
                  {b.flags.map((r) => (
                    <span key={r} className="qf-benefit-reason">
                      {r}
                    </span>
                  ))}
                </div>
              ) : (
                <Typography.Text type="secondary">未发现问题</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}

/** What the core answered right after a benefit was saved: barred (with why), or not. */
type Outcome = { flags: string[] };

function RecordBenefitCard({ name, unit, onRecorded }: { name: string; unit: string; onRecorded: () => Promise<void> }) {
  const api = useApi();
  const [form] = Form.useForm<BenefitValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const kind = Form.useWatch("kind", form);

  async function save() {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const out = await api.penaltyRecordBenefit(toBenefit(name, unit, form.getFieldsValue(true) as BenefitValues));
      setOutcome({ flags: out.flags });
      form.resetFields();
      await onRecorded();
    } catch (e) {
      // What was typed stays, so the officer corrects only what the message names.
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title="登记考核、晋升、评优或工资档次" className="qf-card" data-testid="benefit-card">
      <Form<BenefitValues> form={form} layout="vertical" initialValues={{ date: beijingToday() }} className="qf-compact-form">
        <div className="qf-filter-grid">
          <Form.Item name="kind" label="登记类别" className="qf-span-3" rules={[{ required: true, message: MSG.kind }]}>
            <Select data-testid="benefit-kind" placeholder="请选择" options={KIND_OPTIONS} optionRender={testOption} />
          </Form.Item>
          {kind === "appraisal" && (
            <Form.Item name="grade" label="考核等次" className="qf-span-3" rules={[{ required: true, message: MSG.grade }]}>
              <Select data-testid="benefit-grade" placeholder="请选择" options={GRADE_OPTIONS} optionRender={testOption} />
            </Form.Item>
          )}
          <Form.Item
            name="date"
            label="生效日期"
            className="qf-span-3"
            tooltip="年度考核填所评年度的最后一天，如 2026-12-31；其他填任职、表彰或调档生效的日期"
            rules={[{ required: true, message: MSG.date }]}
          >
            <DatePicker data-testid="benefit-date" format={DATE_FORMAT} className="qf-full" />
          </Form.Item>
          <Form.Item name="detail" label="说明" className="qf-rect-span-12">
            <Input data-testid="benefit-detail" maxLength={500} placeholder="如：晋升为二级主任科员；评为区级优秀共产党员" />
          </Form.Item>
        </div>
        {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="benefit-error" />}
        {outcome &&
          (outcome.flags.length > 0 ? (
            <Alert
              type="error"
              showIcon
              className="qf-form-alert"
              data-testid="benefit-outcome"
              message="已登记，但该事项处于影响期内，不应享受，请核实纠正："
              description={
                <ul className="qf-rect-preview">
                  {outcome.flags.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              }
            />
          ) : (
            <Alert type="success" showIcon className="qf-form-alert" data-testid="benefit-outcome" message="已登记，未发现影响期限制。" />
          ))}
        <Button type="primary" loading={busy} onClick={() => void save()} data-testid="benefit-save">
          登记
        </Button>
      </Form>
    </Card>
  );
}

export function PersonPage({ name, unit }: { name: string; unit: string }) {
  const api = useApi();
  const nav = usePenaltyNav();
  const fetch = useCallback(() => api.penaltyPerson(name, unit), [api, name, unit]);
  const { detail, error, load } = useRecord(fetch);

  if (!detail) {
    return (
      <div className="qf-page" data-testid="page-person">
        {error ? <Alert type="error" showIcon message={error} action={<Button onClick={nav.back}>返回</Button>} /> : <Skeleton active />}
      </div>
    );
  }
  const flagged = detail.benefits.filter((b) => b.flags.length > 0).length;
  return (
    <div className="qf-page" data-testid="page-person">
      <PageHead
        title={
          <Space>
            <span data-testid="person-name">{detail.name}</span>
            {detail.in_influence_period ? (
              <Tag color="error" data-testid="person-in-period">
                今日处于影响期内
              </Tag>
            ) : (
              <Tag color="default" data-testid="person-in-period">
                今日不在影响期内
              </Tag>
            )}
          </Space>
        }
        sub={detail.unit}
        extra={<Button onClick={nav.back}>返回</Button>}
      />
      {error && <Alert type="error" showIcon className="qf-block-alert" message={error} />}
      {flagged > 0 && (
        <Alert
          type="error"
          showIcon
          className="qf-block-alert"
          data-testid="person-flags"
          message={`有 ${flagged} 项登记处于影响期内，不应享受，请核实纠正`}
        />
      )}
      <DecisionsCard page={detail} />
      <BenefitsCard benefits={detail.benefits} />
      {detail.may_record_benefit ? (
        <RecordBenefitCard name={detail.name} unit={detail.unit} onRecorded={load} />
      ) : (
        <Typography.Paragraph type="secondary" data-testid="benefit-note">
          登记考核、晋升、评优和工资档次由案件监督管理室办理。
        </Typography.Paragraph>
      )}
    </div>
  );
}
