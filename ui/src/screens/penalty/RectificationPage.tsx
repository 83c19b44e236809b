// 整改清单: one list's problems as a flow of items on the same engine as penalty execution.
import { Alert, Button, Card, Descriptions, Skeleton, Space, Tag, Typography } from "antd";
import { useCallback } from "react";
import { useApi } from "../../api";
import type { ChecklistDetail } from "../../bindings";
import { CHECKLIST_STATUS_LABELS, RECTIFICATION_SOURCE_LABELS, labelOf } from "../../labels";
import { PageHead } from "../complaints/common";
import { ChecklistFlow } from "./ChecklistFlow";
import { useRecord } from "./common";
import { usePenaltyNav } from "./nav";
import { NoticeButton } from "../notices/NoticeButton";

export function RectificationPage({ id, initial }: { id: string; initial?: ChecklistDetail }) {
  const api = useApi();
  const nav = usePenaltyNav();
  const fetch = useCallback(() => api.rectificationShow(id), [api, id]);
  const { detail, error, load } = useRecord(fetch, initial);

  if (!detail) {
    return (
      <div className="qf-page" data-testid="page-rectification">
        {error ? <Alert type="error" showIcon message={error} /> : <Skeleton active />}
      </div>
    );
  }
  // The first item not yet approved, for lists run in order; otherwise the first open one.
  const current = detail.items.find((i) => i.status !== "approved")?.ord ?? null;
  return (
    <div className="qf-page" data-testid="page-rectification">
      <PageHead
        title={
          <Space>
            <span data-testid="rect-title">{detail.title}</span>
            <Tag color={detail.status === "done" ? "success" : "processing"}>{CHECKLIST_STATUS_LABELS[detail.status] ?? detail.status}</Tag>
          </Space>
        }
        extra={
          <Space>
            {detail.status !== "done" && <NoticeButton kind="rectification" record={{ kind: "checklist", id: detail.id }} />}
            <Button onClick={nav.back}>返回</Button>
          </Space>
        }
      />
      {error && <Alert type="error" showIcon className="qf-block-alert" message={error} />}
      <Card size="small" className="qf-card">
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: "source", label: "问题来源", children: labelOf(RECTIFICATION_SOURCE_LABELS, detail.source) },
            ...(detail.reform_of
              ? [
                  {
                    key: "reform",
                    label: "所涉处分决定",
                    children: (
                      <Typography.Link data-testid="reform-of" onClick={() => nav.go({ page: "penalty", id: detail.reform_of!.penalty_id })}>
                        {detail.reform_of.decision_number}（{detail.reform_of.person_name}，{detail.reform_of.person_unit}）
                      </Typography.Link>
                    ),
                  },
                ]
              : []),
            { key: "start", label: "交办日期", children: detail.start_date },
            { key: "order", label: "办理方式", children: detail.sequential ? "依次办理" : "同时办理" },
            ...(detail.max_score ? [{ key: "score", label: "得分", children: `${detail.total_score ?? "0"} / ${detail.max_score}` }] : []),
          ]}
        />
      </Card>
      <Card size="small" title="整改事项" className="qf-card qf-flow-card">
        <ChecklistFlow checklistId={detail.id} items={detail.items} currentOrd={current} rectification onChanged={load} />
      </Card>
    </div>
  );
}
