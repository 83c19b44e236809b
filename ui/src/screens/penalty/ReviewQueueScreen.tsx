// 执行审核: items submitted and waiting for review, oldest first; a row opens the item's page.
import { Alert, Card, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { QueueRow } from "../../bindings";
import { PageHead } from "../complaints/common";
import { ItemLight } from "./common";
import { usePenaltyNav } from "./nav";

export function ReviewQueueScreen() {
  const api = useApi();
  const nav = usePenaltyNav();
  const [rows, setRows] = useState<QueueRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.penaltyReviewQueue().then(
      (r) => live && setRows(r),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const open = (r: QueueRow) =>
    nav.go(r.scope === "penalty" ? { page: "penalty", id: r.checklist_id } : { page: "rectification", id: r.checklist_id });

  return (
    <div className="qf-page" data-testid="page-penalty-queue">
      <PageHead title="执行审核" sub="责任单位已提交、等待审核的事项；通过后自动开启下一事项，驳回须写明整改意见" />
      {error && <Alert type="error" showIcon className="qf-block-alert" message={error} />}
      <Card size="small" className="qf-card">
        <Typography.Text type="secondary" data-testid="queue-count">
          {rows ? `共 ${rows.length} 项待审核` : "正在读取…"}
        </Typography.Text>
        <Table<QueueRow>
          size="small"
          rowKey={(r) => `${r.checklist_id}:${r.ord}`}
          loading={rows === null && !error}
          dataSource={rows ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: "没有待审核的事项" }}
          columns={[
            { key: "list", title: "处分决定 / 整改清单", render: (_, r) => r.checklist_title },
            { key: "item", title: "事项", render: (_, r) => `${r.ord}. ${r.title}` },
            { key: "unit", title: "责任单位", width: 150, dataIndex: "responsible_unit" },
            { key: "by", title: "提交人", width: 100, dataIndex: "submitted_by" },
            { key: "date", title: "提交日期", width: 104, render: (_, r) => r.submitted_date ?? "—" },
            { key: "due", title: "期限", width: 104, render: (_, r) => r.due ?? "—" },
            { key: "light", title: "状态灯", width: 90, render: (_, r) => <ItemLight light={r.light} idle={r.idle} /> },
            {
              key: "can",
              title: "",
              width: 120,
              render: (_, r) => (r.can_review ? <Tag color="blue">可审核</Tag> : <Tag>须由他人审核</Tag>),
            },
          ]}
          onRow={(r) => ({
            onClick: () => open(r),
            className: "qf-click-row",
            "data-testid": "queue-row",
            tabIndex: 0,
            onKeyDown: (e) => e.key === "Enter" && open(r),
          })}
        />
      </Card>
    </div>
  );
}
