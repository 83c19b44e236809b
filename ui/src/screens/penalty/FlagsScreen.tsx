// 影响期预警: appraisal grades, promotions, awards and pay steps recorded inside an influence
// period that bars them (DOMAIN.md §3); a row opens the person's page (all their decisions and
// benefits), the decision number the decision itself.
import { Alert, Card, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { BenefitFlag } from "../../bindings";
import { APPRAISAL_GRADE_LABELS } from "../../labels";
import { PageHead } from "../complaints/common";
import { usePenaltyNav } from "./nav";

export function FlagsScreen() {
  const api = useApi();
  const nav = usePenaltyNav();
  const [rows, setRows] = useState<BenefitFlag[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.penaltyFlags().then(
      (r) => live && setRows(r),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const open = (r: BenefitFlag) => nav.go({ page: "person", name: r.person_name, unit: r.person_unit });

  return (
    <div className="qf-page" data-testid="page-penalty-flags">
      <PageHead title="影响期预警" sub="影响期内登记的晋升、评先评优、考核等次和工资档次，应核实纠正" />
      {error && <Alert type="error" showIcon className="qf-block-alert" message={error} />}
      <Card size="small" className="qf-card">
        <Typography.Text type="secondary" data-testid="flags-count">
          {rows ? `共 ${rows.length} 条预警` : "正在读取…"}
        </Typography.Text>
        <Table<BenefitFlag>
          size="small"
          rowKey={(r) => `${r.benefit_id}:${r.penalty_id}`}
          loading={rows === null && !error}
          dataSource={rows ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: "没有影响期内的违规待遇记录" }}
          columns={[
            { key: "person", title: "人员", render: (_, r) => `${r.person_name}（${r.person_unit}）` },
            {
              key: "kind",
              title: "登记事项",
              render: (_, r) => `${r.kind_label}${r.grade ? ` ${APPRAISAL_GRADE_LABELS[r.grade]}` : ""}${r.detail ? `：${r.detail}` : ""}`,
            },
            { key: "date", title: "日期", width: 104, dataIndex: "date" },
            {
              key: "number",
              title: "处分决定",
              width: 170,
              render: (_, r) => (
                <Typography.Link
                  data-testid="flag-decision"
                  onClick={(e) => {
                    // The row itself opens the person; this link opens the decision instead.
                    e.stopPropagation();
                    nav.go({ page: "penalty", id: r.penalty_id });
                  }}
                >
                  {r.decision_number}
                </Typography.Link>
              ),
            },
            { key: "reason", title: "问题", render: (_, r) => <Typography.Text type="danger">{r.reason}</Typography.Text> },
          ]}
          onRow={(r) => ({
            onClick: () => open(r),
            className: "qf-click-row",
            "data-testid": "flag-row",
            tabIndex: 0,
            onKeyDown: (e) => e.key === "Enter" && open(r),
          })}
        />
      </Card>
    </div>
  );
}
