// 同步: the state of sync with the provincial hub, shown honestly (pending work, last success,
// last error, conflicts), with "sync now", online enrollment, and USB bundles for offices
// without a network.
import { CloudSyncOutlined, ExportOutlined, ImportOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Form, Input, Progress, Space, Tag, Typography } from "antd";
import { listen } from "@tauri-apps/api/event";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../api";
import type { SyncStatus } from "../bindings";
import { ConflictsCard } from "./ConflictsCard";
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
  const [busy, setBusy] = useState<"sync" | "enroll" | "export" | "import" | null>(null);
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [bundlePath, setBundlePath] = useState("");

  const refresh = useCallback(() => {
    api.syncStatus().then(setStatus, (e) => setError(errorMessage(e)));
  }, [api]);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, REFRESH_MS);
    let unlisten: (() => void) | undefined;
    // Outside the desktop shell (tests) there is no event bus; the timer still refreshes.
    listen<[number, number]>("bundle-progress", (e) => setProgress(e.payload))
      .then((f) => {
        unlisten = f;
      })
      .catch(() => {});
    return () => {
      window.clearInterval(timer);
      unlisten?.();
    };
  }, [refresh]);

  async function act<T>(kind: NonNullable<typeof busy>, run: () => Promise<T>, done: (r: T) => string) {
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

  const syncNow = () =>
    act(
      "sync",
      () => api.syncNow(),
      (r) =>
        `同步完成：上传 ${r.uploaded_events} 个事件，下载 ${r.downloaded_events} 个事件` +
        (r.changesets_rejected ? `，${r.changesets_rejected} 批被拒：${r.rejections.join("；")}` : "") +
        (r.conflicts ? `，新增冲突 ${r.conflicts} 件，请在下方“冲突”中处理` : "") +
        "。",
    );

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
                label: "待上传事件",
                children: <span data-testid="sync-pending">{status.pending}</span>,
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
              { key: "rejected", label: "被拒批次", children: status.rejected },
              { key: "device", label: "本机设备编号", children: status.device_id },
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

      {status && !status.enrolled && (
        <Card title="登记到省级平台" className="qf-card-gap">
          <Form
            layout="inline"
            onFinish={(v: { hub: string; token: string }) =>
              act(
                "enroll",
                () => api.syncEnroll(v.hub, v.token),
                () => "本机已登记到省级平台，将在后台开始同步。",
              )
            }
          >
            <Form.Item name="hub" label="平台地址" rules={[{ required: true, message: "请填写平台地址" }]}>
              <Input placeholder="https://10.1.2.3:8443" data-testid="sync-hub-url" style={{ width: 260 }} />
            </Form.Item>
            <Form.Item name="token" label="登记口令" rules={[{ required: true, message: "请填写登记口令" }]}>
              <Input data-testid="sync-token" style={{ width: 260 }} />
            </Form.Item>
            <Button htmlType="submit" type="primary" loading={busy === "enroll"} data-testid="sync-enroll">
              登记
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" className="qf-card-gap">
            登记口令由省级平台管理员签发，一次有效。没有网络的单位请用命令行 qingfeng sync request 生成登记申请文件，带到省级平台签发证书。
          </Typography.Paragraph>
        </Card>
      )}

      <Card title="同步包（U盘）" className="qf-card-gap">
        <Space direction="vertical" style={{ width: "100%" }}>
          <Input
            data-testid="bundle-path"
            value={bundlePath}
            onChange={(e) => setBundlePath(e.target.value)}
            placeholder="文件位置，例如 /media/usb/五华区-2026-11-21.qfb"
          />
          <Space>
            <Button
              icon={<ExportOutlined />}
              data-testid="bundle-export"
              disabled={!bundlePath.trim() || busy !== null}
              loading={busy === "export"}
              onClick={() =>
                act(
                  "export",
                  () => api.bundleExport(bundlePath),
                  (r) => `已导出同步包：${r.changesets} 批变更集，共 ${r.events} 个事件。请将文件送交省级平台导入。`,
                )
              }
            >
              导出同步包
            </Button>
            <Button
              icon={<ImportOutlined />}
              data-testid="bundle-import"
              disabled={!bundlePath.trim() || busy !== null}
              loading={busy === "import"}
              onClick={() =>
                act(
                  "import",
                  () => api.bundleImport(bundlePath),
                  (r) =>
                    `已导入回执包：回执 ${r.receipts} 份，收到事件 ${r.events} 个（新应用 ${r.applied_events} 个）` +
                    (r.conflicts ? `，新增冲突 ${r.conflicts} 件` : "") +
                    "。",
                )
              }
            >
              导入回执包
            </Button>
          </Space>
          {progress && busy && (
            <Progress
              data-testid="bundle-progress"
              percent={progress[1] ? Math.round((progress[0] / progress[1]) * 100) : 100}
              format={() => `${progress[0]} / ${progress[1]}`}
            />
          )}
        </Space>
      </Card>
    </div>
  );
}
