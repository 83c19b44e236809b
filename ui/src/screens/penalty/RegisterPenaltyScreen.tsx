// 录入处分决定: the person, the decision and the amounts; the core generates the execution items.
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { GovernmentSanction, PartyPenalty, RegisterPenalty } from "../../bindings";
import { GOVERNMENT_SANCTION_OPTIONS, PARTY_PENALTY_OPTIONS } from "../../labels";
import { DATE_FORMAT, PageHead, isFuture, isoDate, testOption, textOrNull } from "../complaints/common";
import { MONEY } from "./common";
import { usePenaltyNav } from "./nav";

export type PenaltyValues = {
  name?: string;
  unit?: string;
  post?: string;
  rank?: string;
  party_member?: boolean;
  special?: Array<"deputy" | "cppcc_member" | "non_party_cadre">;
  decision_number?: string;
  deciding_body?: string;
  party_penalty?: PartyPenalty | null;
  probation_years?: 1 | 2;
  government_sanction?: GovernmentSanction | null;
  sanction_count?: number | null;
  decision_date?: Dayjs | null;
  approval_date?: Dayjs | null;
  responsible_units?: string;
  confiscate?: string;
  repay?: string;
  organisational_handling?: string;
};

/** Splits the responsible units the officer typed, one per line or separated by 、，, */
function units(s: string | undefined): string[] {
  return (s ?? "")
    .split(/[\n、，,；;]/)
    .map((u) => u.trim())
    .filter(Boolean);
}

function money(s: string | undefined): string | null {
  return textOrNull(s);
}

/** The form the command needs, from what was typed. Amounts stay text: exact to the fen. */
export function toForm(v: PenaltyValues): RegisterPenalty {
  const special = new Set(v.special ?? []);
  return {
    person: {
      name: (v.name ?? "").trim(),
      unit: (v.unit ?? "").trim(),
      post: (v.post ?? "").trim(),
      rank: (v.rank ?? "").trim(),
      party_member: v.party_member ?? true,
      deputy: special.has("deputy"),
      cppcc_member: special.has("cppcc_member"),
      non_party_cadre: special.has("non_party_cadre"),
    },
    decision_number: (v.decision_number ?? "").trim(),
    deciding_body: (v.deciding_body ?? "").trim(),
    party_penalty: v.party_penalty ?? null,
    probation_years: v.party_penalty === "probation" ? (v.probation_years ?? 1) : null,
    government_sanction: v.government_sanction ?? null,
    sanction_count: v.government_sanction && v.sanction_count && v.sanction_count > 1 ? v.sanction_count : null,
    sanction_months: null,
    decision_date: isoDate(v.decision_date ?? null),
    approval_date: v.approval_date ? isoDate(v.approval_date) : null,
    responsible_units: units(v.responsible_units),
    confiscate: money(v.confiscate),
    repay: money(v.repay),
    organisational_handling: textOrNull(v.organisational_handling),
    complaint_id: null,
  };
}

const moneyRule = {
  validator: (_: unknown, value: string | undefined) =>
    !value || !value.trim() || MONEY.test(value.trim())
      ? Promise.resolve()
      : Promise.reject(new Error("以元为单位，最多两位小数，如 3500 或 1200.50")),
};

export function RegisterPenaltyScreen() {
  const api = useApi();
  const nav = usePenaltyNav();
  const [form] = Form.useForm<PenaltyValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const party = Form.useWatch("party_penalty", form);
  const government = Form.useWatch("government_sanction", form);

  async function save() {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const v = form.getFieldsValue(true) as PenaltyValues;
    setBusy(true);
    setError(null);
    try {
      const detail = await api.penaltyRegister(toForm(v));
      nav.go({ page: "penalty", id: detail.id, initial: detail });
    } catch (e) {
      // Everything typed stays in the form so the officer only corrects what the message names.
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="qf-page" data-testid="page-penalty-register">
      <PageHead title="录入处分决定" sub="保存后按处分种类和人员身份自动生成执行事项，依次开启" />
      <Form<PenaltyValues>
        form={form}
        layout="vertical"
        initialValues={{ party_member: true, probation_years: 1, special: [] }}
        className="qf-penalty-form"
      >
        <Card size="small" title="受处分人" className="qf-card">
          <div className="qf-filter-grid">
            <Form.Item name="name" label="姓名" className="qf-span-3" rules={[{ required: true, whitespace: true, message: "请填写姓名" }]}>
              <Input data-testid="pen-name" maxLength={50} />
            </Form.Item>
            <Form.Item name="unit" label="工作单位" className="qf-span-5" rules={[{ required: true, whitespace: true, message: "请填写工作单位" }]}>
              <Input data-testid="pen-unit" maxLength={100} />
            </Form.Item>
            <Form.Item name="post" label="职务" className="qf-span-4">
              <Input data-testid="pen-post" maxLength={100} />
            </Form.Item>
            <Form.Item name="rank" label="职级" className="qf-span-3">
              <Input data-testid="pen-rank" maxLength={50} placeholder="如：一级主任科员" />
            </Form.Item>
            <Form.Item name="party_member" label="政治面貌" className="qf-span-3">
              <Radio.Group
                data-testid="pen-party-member"
                options={[
                  { value: true, label: "中共党员" },
                  { value: false, label: "非中共党员" },
                ]}
              />
            </Form.Item>
            <Form.Item name="special" label="特殊身份（执行中须函告有关机关）" className="qf-span-6">
              <Checkbox.Group
                data-testid="pen-special"
                options={[
                  { value: "deputy", label: "人大代表" },
                  { value: "cppcc_member", label: "政协委员" },
                  { value: "non_party_cadre", label: "党外干部" },
                ]}
              />
            </Form.Item>
          </div>
        </Card>
        <Card size="small" title="处分决定" className="qf-card">
          <div className="qf-filter-grid">
            <Form.Item name="decision_number" label="决定文号" className="qf-span-4" rules={[{ required: true, whitespace: true, message: "请填写处分决定文号" }]}>
              <Input data-testid="pen-number" maxLength={100} placeholder="如：五纪处〔2026〕3号" />
            </Form.Item>
            <Form.Item name="deciding_body" label="决定机关" className="qf-span-4" rules={[{ required: true, whitespace: true, message: "请填写作出决定的机关" }]}>
              <Input data-testid="pen-body" maxLength={100} />
            </Form.Item>
            <Form.Item name="party_penalty" label="党纪处分" className="qf-span-4">
              <Select data-testid="pen-party" allowClear placeholder="无" options={PARTY_PENALTY_OPTIONS} optionRender={testOption} />
            </Form.Item>
            {party === "probation" && (
              <Form.Item name="probation_years" label="留党察看期限" className="qf-span-3">
                <Radio.Group
                  data-testid="pen-probation"
                  options={[
                    { value: 1, label: "一年" },
                    { value: 2, label: "二年" },
                  ]}
                />
              </Form.Item>
            )}
            <Form.Item name="government_sanction" label="政务处分" className="qf-span-4">
              <Select data-testid="pen-government" allowClear placeholder="无" options={GOVERNMENT_SANCTION_OPTIONS} optionRender={testOption} />
            </Form.Item>
            {government && (
              <Form.Item name="sanction_count" label="同种政务处分合并数" className="qf-span-3" tooltip="数个同种政务处分合并执行，影响期合计不超过 48 个月">
                <InputNumber min={1} max={10} placeholder="1" />
              </Form.Item>
            )}
            <Form.Item name="decision_date" label="决定日期" className="qf-span-3" rules={[{ required: true, message: "请选择决定日期" }]}>
              <DatePicker data-testid="pen-decision-date" format={DATE_FORMAT} disabledDate={isFuture} className="qf-full" />
            </Form.Item>
            <Form.Item name="approval_date" label="批准日期（党纪处分自此起算影响期）" className="qf-span-4">
              <DatePicker data-testid="pen-approval-date" format={DATE_FORMAT} disabledDate={isFuture} className="qf-full" />
            </Form.Item>
            <Form.Item
              name="responsible_units"
              label="主体责任部门（多个用顿号分隔）"
              className="qf-span-8"
              rules={[{ required: true, whitespace: true, message: "请填写负责执行的主体责任部门" }]}
            >
              <Input data-testid="pen-units" placeholder="如：区教育局党组、区委组织部" />
            </Form.Item>
          </div>
        </Card>
        <Card size="small" title="涉案款物与组织处理" className="qf-card">
          <div className="qf-filter-grid">
            <Form.Item name="confiscate" label="收缴违纪违法所得（元）" className="qf-span-4" rules={[moneyRule]}>
              <Input data-testid="pen-confiscate" placeholder="如 35000.00" />
            </Form.Item>
            <Form.Item name="repay" label="责令退赔（元）" className="qf-span-4" rules={[moneyRule]}>
              <Input data-testid="pen-repay" placeholder="如 1200.50" />
            </Form.Item>
            <Form.Item name="organisational_handling" label="组织处理" className="qf-span-8">
              <Input data-testid="pen-org" maxLength={200} placeholder="如：调离原岗位" />
            </Form.Item>
          </div>
        </Card>
        {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="pen-error" />}
        <Space className="qf-submit-row">
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="pen-save">
            保存并生成执行事项
          </Button>
          <Button onClick={nav.back}>取消</Button>
          <Typography.Text type="secondary">金额按元填写，精确到分；不涉及的留空。</Typography.Text>
        </Space>
      </Form>
    </div>
  );
}
