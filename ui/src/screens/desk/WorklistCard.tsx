// 工作台's to-do list: every kind of the post's work in one table, most urgent first, each row
// saying what to do, whose duty it is and by when; filters by kind; a row opens its record (or,
// for a quarterly report, the form to record it).
import { Alert, Badge, Button, Card, Segmented, Table, Tag, Tooltip, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useEffect, useMemo, useState } from "react";
import type { HTMLAttributes } from "react";
import { errorMessage, useApi } from "../../api";
import type { WorkItem, WorkKind, Worklist } from "../../bindings";
import { LIGHT_COLORS } from "../../labels";
import { clickableRow } from "../complaints/common";
import { usePenaltyNav } from "../penalty/nav";
import { QuarterlyReportModal } from "./QuarterlyReportModal";
import "./desk.css";

type Filter = WorkKind | "all";

/** The row's light, said in words (已逾期 3 个工作日, 已 12 天未办理, …) in the light's colour. */
export function WorkLight({ item }: { item: WorkItem }) {
  if (!item.light || !item.light_note) return <Typography.Text type="secondary">无期限</Typography.Text>;
  return (
    <Tag color={LIGHT_COLORS[item.light]} data-light={item.light} className="qf-light qf-work-light">
      {item.light_note}
    </Tag>
  );
}

const KIND_COLORS: Record<WorkKind, string> = {
  complaint: "blue",
  approval: "purple",
  execution: "cyan",
  rectification: "geekblue",
  result_report: "orange",
  quarterly_report: "magenta",
  cross_office: "volcano",
  supervision: "gold",
};

export function WorklistCard({ onCounts }: { onCounts?: (list: Worklist) => void }) {
  const api = useApi();
  const nav = usePenaltyNav();
  const [list, setList] = useState<Worklist | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [filter, setFilter] = useState<Filter>("all");
  const [quarterly, setQuarterly] = useState<WorkItem | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    api.worklist({ kind: null, counts_only: false }).then(
      (v) => {
        if (!live) return;
        setList(v);
        onCounts?.(v);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload, onCounts]);

  const rows = useMemo(
    () => (list?.items ?? []).filter((i) => filter === "all" || i.kind === filter),
    [list, filter],
  );

  const columns = useMemo<TableColumnsType<WorkItem>>(
    () => [
      {
        key: "light",
        title: "期限",
        width: 150,
        render: (_: unknown, i: WorkItem) => (
          <div className="qf-work-due">
            <WorkLight item={i} />
            {i.due && (
              <div className="qf-work-due-date">
                {i.deadline_label && <div>{i.deadline_label}</div>}
                <div className="qf-nowrap">
                  {i.due} 到期{i.provisional ? "（暂定）" : ""}
                </div>
              </div>
            )}
          </div>
        ),
      },
      {
        key: "task",
        title: "要办的事",
        render: (_: unknown, i: WorkItem) => (
          <div className="qf-work-task">
            <Tag color={KIND_COLORS[i.kind]} className="qf-work-kind">
              {i.kind_label}
            </Tag>
            <span className="qf-task">{i.task}</span>
          </div>
        ),
      },
      {
        key: "record",
        title: "案件或清单",
        width: "34%",
        render: (_: unknown, i: WorkItem) => (
          <div className="qf-work-record">
            <div className="qf-number">{i.record}</div>
            <Tooltip title={i.summary} placement="topLeft">
              <div className="qf-work-summary">{i.summary}</div>
            </Tooltip>
          </div>
        ),
      },
      { key: "duty", title: "责任", width: 132, render: (_: unknown, i: WorkItem) => i.duty },
    ],
    [],
  );

  function open(i: WorkItem) {
    switch (i.target.page) {
      case "complaint":
        nav.go({ page: "complaint", id: i.target.id });
        break;
      case "penalty":
        nav.go({ page: "penalty", id: i.target.id });
        break;
      case "rectification":
        nav.go({ page: "rectification", id: i.target.id });
        break;
      case "letter":
        nav.go({ page: "letters", id: i.target.id });
        break;
      case "quarterly_report":
        setQuarterly(i);
        break;
    }
  }

  const options = [
    { value: "all" as Filter, label: <KindLabel label="全部" total={list?.total ?? 0} red={list?.red ?? 0} /> },
    ...(list?.counts ?? []).map((c) => ({
      value: c.kind as Filter,
      label: <KindLabel label={c.label} total={c.total} red={c.red} testId={`worklist-kind-${c.kind}`} />,
    })),
  ];
  const shown = list ? list.items.length : 0;
  const cut = list !== null && shown < list.total && filter === "all";

  return (
    <Card
      title={list ? `待办事项（${list.total}）` : "待办事项"}
      size="small"
      className="qf-card qf-inbox"
      data-testid="inbox"
      extra={
        <Button size="small" type="link" onClick={() => setReload((n) => n + 1)} data-testid="worklist-refresh">
          刷新
        </Button>
      }
    >
      {error && <Alert type="error" showIcon message={error} className="qf-block-alert" />}
      {list && list.counts.length > 1 && (
        <div className="qf-work-filter">
          <Segmented<Filter> options={options} value={filter} onChange={setFilter} data-testid="worklist-filter" />
        </div>
      )}
      {cut && (
        <Typography.Paragraph type="secondary" className="qf-work-cut">
          共 {list.total} 项，按紧急程度显示前 {shown} 项；其余可按类别筛选或在各业务页面查询。
        </Typography.Paragraph>
      )}
      <Table<WorkItem>
        size="middle"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        loading={list === null && !error}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false, size: "small" } : false}
        locale={{ emptyText: "暂无待办事项" }}
        onRow={clickableRow("inbox-row", open) as (row: WorkItem) => HTMLAttributes<HTMLElement>}
        tableLayout="fixed"
      />
      {quarterly && quarterly.target.page === "quarterly_report" && (
        <QuarterlyReportModal
          department={quarterly.target.department}
          quarter={quarterly.target.quarter}
          title={quarterly.task}
          onClose={(done) => {
            setQuarterly(null);
            if (done) setReload((n) => n + 1);
          }}
        />
      )}
    </Card>
  );
}

function KindLabel({ label, total, red, testId }: { label: string; total: number; red: number; testId?: string }) {
  return (
    <span className="qf-work-kind-option" data-testid={testId}>
      {label}
      <Badge
        count={total}
        showZero
        overflowCount={999}
        color={red > 0 ? "#cf1322" : total > 0 ? "#1f5f8b" : "#bfbfbf"}
        className="qf-work-count"
      />
    </span>
  );
}
