// 冲突: steps another office took on a case after it had handed the case on. They stay in the
// log but not in the workflow; a leader of the office handling the case settles each one here.
import { Alert, Button, Card, Input, Modal, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../api";
import type { ConflictItem } from "../bindings";

export const RESOLUTION_LABELS: Record<string, string> = {
  adopted: "已由本机关重新办理",
  dismissed: "不予采纳",
};

/** The list of conflicts with the settle dialog; `version` changes when a sync may have added some. */
export function ConflictsCard({ version }: { version: unknown }) {
  const api = useApi();
  const [items, setItems] = useState<ConflictItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [settling, setSettling] = useState<ConflictItem | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.syncConflicts().then(setItems, (e) => setError(errorMessage(e)));
  }, [api]);
  useEffect(load, [load, version]);

  async function settle(resolution: "adopted" | "dismissed") {
    if (!settling) return;
    setBusy(true);
    setDialogError(null);
    try {
      setItems(await api.conflictResolve(settling.event_id, resolution, note.trim()));
      setSettling(null);
      setNote("");
    } catch (e) {
      setDialogError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  if (!items || items.length === 0) return error ? <Alert type="error" showIcon message={error} /> : null;
  return (
    <Card title="冲突（移交后另一机关办理的步骤）" className="qf-card-gap" data-testid="conflicts-card">
      <Typography.Paragraph type="secondary">
        这些步骤是在案件移交之后由原机关办理的，已保留在记录中但没有生效。请现办理机关的分管领导逐件处理：
        已由本机关重新办理的选“已由本机关重新办理”，不需要的选“不予采纳”。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<ConflictItem>
        size="small"
        rowKey="event_id"
        pagination={false}
        dataSource={items}
        columns={[
          { title: "编号", dataIndex: "number", width: 170 },
          { title: "步骤", dataIndex: "step" },
          { title: "办理机关", dataIndex: "office", width: 140 },
          { title: "办理人", dataIndex: "actor", width: 90 },
          { title: "时间", dataIndex: "time", width: 140 },
          {
            title: "处理",
            width: 190,
            render: (_: unknown, c: ConflictItem) =>
              c.status === "open" ? (
                c.can_resolve ? (
                  <Button size="small" data-testid={`settle-${c.event_id}`} onClick={() => setSettling(c)}>
                    处理
                  </Button>
                ) : (
                  <Tag color="red">待现办理机关领导处理</Tag>
                )
              ) : (
                <Space size={4} direction="vertical">
                  <Tag color="green">{RESOLUTION_LABELS[c.resolution ?? ""] ?? "已处理"}</Tag>
                  {c.note && <Typography.Text type="secondary">{c.note}</Typography.Text>}
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={settling !== null}
        title={`处理冲突 · ${settling?.number ?? ""}`}
        onCancel={() => !busy && setSettling(null)}
        maskClosable={false}
        footer={[
          <Button key="cancel" onClick={() => setSettling(null)} disabled={busy}>
            取消
          </Button>,
          <Button key="dismiss" data-testid="settle-dismissed" onClick={() => void settle("dismissed")} loading={busy}>
            不予采纳
          </Button>,
          <Button
            key="adopt"
            type="primary"
            data-testid="settle-adopted"
            onClick={() => void settle("adopted")}
            loading={busy}
          >
            已由本机关重新办理
          </Button>,
        ]}
      >
        {settling && (
          <Typography.Paragraph>
            {settling.office}的{settling.actor}于 {settling.time} 办理了“{settling.step}”。
          </Typography.Paragraph>
        )}
        <Input.TextArea
          data-testid="settle-note"
          placeholder="处理说明（可选）"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={2000}
        />
        {dialogError && <Alert type="error" showIcon message={dialogError} className="qf-block-alert" />}
      </Modal>
    </Card>
  );
}
