// 处分决定执行: one decision — the person, the penalty, the influence period and the flow of
// execution items with the current item's form and the reviewer's decision.
import { Alert, Button, Card, Col, Descriptions, Row, Skeleton, Space, Tag, Typography } from "antd";
import { useCallback } from "react";
import { useApi } from "../../api";
import type { PenaltyDetail } from "../../bindings";
import { CHECKLIST_STATUS_LABELS } from "../../labels";
import { PageHead } from "../complaints/common";
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
      <Card size="small" title="执行事项" className="qf-card qf-flow-card">
        <ChecklistFlow checklistId={detail.id} items={detail.items} currentOrd={detail.current_ord} rectification={false} onChanged={load} />
      </Card>
    </div>
  );
}
