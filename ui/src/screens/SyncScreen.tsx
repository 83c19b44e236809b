// 同步: the state of sync with the provincial hub, shown honestly (pending work, last success,
// last error, conflicts), with "sync now", online enrollment, and USB bundles for offices
// without a network.
import { CloudSyncOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../api";
import type { SyncStatus } from "../bindings";
import { subscribe } from "../events";
import { ConflictsCard } from "./ConflictsCard";
import { BundleCard } from "./sync/BundleCard";
import { EnrollCard } from "./sync/EnrollCard";
import { syncReportText } from "./sync/words";
import { SyncAlerts } from "./SyncAlerts";

/** How often the screen refreshes the numbers the background task changes. */
const REFRESH_MS = 10_000;

/** `handlesCases`: whether the user holds a business post. Conflicts name case steps, which an
 * administrator may not read, so an administrator sees only how many there are and who settles them. */
export function SyncScreen({ handlesCases = true }: { handlesCases?: boolean }) {
  const api = useApi();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<"sync" | "enroll" | "request" | "certificate" | "export" | "import" | null>(null);
  const [progress, setProgress] = useState<[number, number] | null>(null);

  const refresh = useCallback(() => {
    api.syncStatus().then(setStatus, (e) => setError(errorMessage(e)));
  }, [api]);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, REFRESH_MS);
    // Outside the desktop shell (tests) there is no event bus; the timer still refreshes.
    const unlisten = subscribe<[number, number]>("bundle-progress", (e) => setProgress(e.payload));
    return () => {
      window.clearInterval(timer);
      unlisten();
    };
  }, [refresh]);

  // `done` answers null when the officer cancelled a dialog: nothing happened, nothing to say.
  async function act<T>(kind: NonNullable<typeof busy>, run: () => Promise<T>, done: (r: T) => string | null) {
    setBusy(kind);
    setError(null);
    setNotice(null);
    setProgress(null);
    try {
      setNotice(done(await run()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      refresh();
    }
  }

  const syncNow = () => act("sync", () => api.syncNow(), syncReportText);

  return (
    <div className="qf-page" data-testid="page-sync">
      <Typography.Title level={4}>与省级平台同步</Typography.Title>
      {error && <Alert type="error" showIcon message={error} data-testid="sync-error" className="qf-home-alert" />}
      {notice && <Alert type="success" showIcon message={notice} data-testid="sync-notice" className="qf-home-alert" />}
      {status && <SyncAlerts status={status} />}
      <Card
        title="同步状态"
        extra={
          <Button
            type="primary"
            icon={<CloudSyncOutlined />}
            data-testid="sync-now"
            loading={busy === "sync"}
            disabled={!status?.enrolled || busy !== null}
            onClick={syncNow}
          >
            立即同步
          </Button>
        }
      >
        {status && (
          <Descriptions
            column={2}
            data-testid="sync-status"
            items={[
              {
                key: "enrolled",
                label: "登记",
                children: status.enrolled ? <Tag color="green">已登记</Tag> : <Tag>未登记</Tag>,
              },
              { key: "hub", label: "平台地址", children: status.hub_url ?? "（未设置，仅用同步包）" },
              {
                key: "pending",
                label: "待同步的办理记录",
                children: (
                  <span>
                    <span data-testid="sync-pending">{status.pending}</span> 条
                  </span>
                ),
              },
              { key: "success", label: "最近成功", children: status.last_success ?? "从未" },
              {
                key: "last-error",
                label: "最近错误",
                children: status.last_error ? (
                  <Typography.Text type="danger" data-testid="sync-last-error">
                    {status.last_error}
                  </Typography.Text>
                ) : (
                  "无"
                ),
              },
              {
                key: "conflicts",
                label: "待处理冲突",
                children: status.open_conflicts ? <Tag color="red">{status.open_conflicts} 件</Tag> : "无",
              },
              {
                key: "rejected",
                label: "平台拒收",
                children: status.rejected ? <Tag color="red">{status.rejected} 批记录</Tag> : "无",
              },
            ]}
          />
        )}
        <Typography.Paragraph type="secondary">
          没有网络时照常办理，所有记录先保存在本机；网络恢复后程序会在后台自动同步，也可点“立即同步”。
        </Typography.Paragraph>
      </Card>
      {handlesCases ? (
        <ConflictsCard version={`${status?.open_conflicts ?? 0}:${status?.last_success ?? ""}`} />
      ) : (
        status?.open_conflicts ? (
          <Alert
            type="warning"
            showIcon
            className="qf-card-gap"
            data-testid="conflicts-elsewhere"
            message={`有 ${status.open_conflicts} 件冲突待处理，须由办理该案件机关的分管领导登录后在本页处理。`}
          />
        ) : null
      )}

      {status && !status.enrolled && <EnrollCard act={act} busy={busy} />}

      <BundleCard act={act} busy={busy} progress={progress} />
    </div>
  );
}
