// 工作台: what the signed-in user has to do, one row per complaint and task.
import { Alert, Button, Card } from "antd";
import type { TableColumnsType } from "antd";
import { useEffect, useMemo, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { InboxItem } from "../../bindings";
import { ComplaintTable, complaintColumns, nextDueColumn } from "./common";
import { useNav } from "./nav";

const summaryOf = (i: InboxItem) => i.complaint;

export function InboxCard() {
  const api = useApi();
  const nav = useNav();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    api.inbox().then(
      (v) => live && setItems(v),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload]);

  const columns = useMemo<TableColumnsType<InboxItem>>(() => {
    const base = complaintColumns(summaryOf);
    return [
      ...base,
      {
        key: "task",
        title: "任务",
        width: 136,
        render: (_: unknown, i: InboxItem) => <span className="qf-task">{i.task}</span>,
      },
      nextDueColumn(summaryOf),
    ];
  }, []);

  return (
    <Card
      title={items ? `待办事项（${items.length}）` : "待办事项"}
      size="small"
      className="qf-card qf-inbox"
      data-testid="inbox"
      extra={
        <Button size="small" type="link" onClick={() => setReload((n) => n + 1)}>
          刷新
        </Button>
      }
    >
      {error && <Alert type="error" showIcon message={error} className="qf-block-alert" />}
      <ComplaintTable<InboxItem>
        rows={items ?? []}
        rowKey={(i) => `${i.complaint.id}:${i.task}`}
        columns={columns}
        rowTestId="inbox-row"
        loading={items === null && !error}
        empty="暂无待办事项"
        onOpen={(i) => nav.go({ page: "complaint", id: i.complaint.id })}
      />
    </Card>
  );
}
