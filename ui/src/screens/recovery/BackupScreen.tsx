// 备份与恢复, for the office's administrator: when the last good backup was made (and a warning
// when it is old), where and how often backups go, a backup now with progress, the backups in the
// folder, the recovery code (make or replace), and restoring this machine from a backup.
import { CloudUploadOutlined, KeyOutlined, SafetyOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { BackupSettings, ListedBackup, RecoveryCodeView, RecoveryStatus, RestoreReport } from "../../bindings";
import { ProgressLine } from "./ProgressLine";
import { RecoveryCodePanel } from "./RecoveryCodePanel";
import { RestoreFromBackup } from "./RestoreForms";
import { formatBytes, formatMs, formatStoredTime } from "./time";
import { useProgress } from "./useProgress";
import "./recovery.css";

export function BackupScreen({ officeCode, onRestored }: { officeCode: string; onRestored: () => void }) {
  const api = useApi();
  const [status, setStatus] = useState<RecoveryStatus | null>(null);
  const [list, setList] = useState<ListedBackup[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<"backup" | "save" | "code" | null>(null);
  const [code, setCode] = useState<RecoveryCodeView | null>(null);
  const [restored, setRestored] = useState<RestoreReport | null>(null);
  const [progress, resetProgress] = useProgress("backup-progress");
  const [form] = Form.useForm<BackupSettings>();

  const refresh = useCallback(() => {
    api.recoveryStatus().then((s) => {
      setStatus(s);
      form.setFieldsValue({ dir: s.backup_dir ?? "", keep: s.keep, interval_hours: s.interval_hours, warn_days: s.warn_days });
    }, (e: unknown) => setError(errorMessage(e)));
    api.backupList().then(setList, () => setList([]));
  }, [api, form]);

  useEffect(refresh, [refresh]);

  async function run<T>(kind: NonNullable<typeof busy>, f: () => Promise<T>, done: (r: T) => void) {
    setBusy(kind);
    setError(null);
    setNotice(null);
    resetProgress();
    try {
      done(await f());
      refresh();
    } catch (e) {
      setError(errorMessage(e));
      refresh();
    } finally {
      setBusy(null);
    }
  }

  const save = (v: BackupSettings) =>
    run("save", () => api.backupSettingsSave({ ...v, dir: (v.dir ?? "").trim() }), () => setNotice("备份设置已保存。"));
  const backupNow = () =>
    run("backup", api.backupNow, (r) =>
      setNotice(`已备份到 ${r.file}（${r.events} 条记录，${formatBytes(r.bytes)}），已试恢复校验无误。`),
    );
  const makeCode = (replace: boolean) => run("code", () => api.recoveryMake(replace), setCode);

  function askReplace() {
    Modal.confirm({
      title: "更换恢复码",
      content:
        "更换后旧恢复码立即作废，备份文件夹中用旧恢复码加密的备份会在下一次备份成功后删除。新恢复码只显示一次，请准备好打印机或纸笔。确定更换吗？",
      okText: "更换",
      cancelText: "取消",
      okButtonProps: { "data-testid": "recovery-replace-ok" } as Record<string, string>,
      onOk: () => makeCode(true),
    });
  }

  if (restored) {
    return (
      <div className="qf-page" data-testid="page-backup">
        <Alert
          type="success"
          showIcon
          data-testid="backup-restored"
          message={`已从备份恢复（${restored.events} 条记录，校验完好）。请重新登录。`}
          description={restored.moved_aside ? `原数据库已改名保存为 ${restored.moved_aside}。` : undefined}
          action={
            <Button type="primary" onClick={onRestored} data-testid="backup-restored-login">
              重新登录
            </Button>
          }
        />
      </div>
    );
  }

  const last = status?.last_backup;
  return (
    <div className="qf-page" data-testid="page-backup">
      <div className="qf-page-head">
        <div className="qf-page-head-title">
          <Typography.Title level={4}>备份与恢复</Typography.Title>
        </div>
      </div>
      {error && <Alert type="error" showIcon message={error} className="qf-home-alert" data-testid="backup-error" />}
      {notice && <Alert type="success" showIcon message={notice} className="qf-home-alert" data-testid="backup-notice" />}
      {status?.warning && (
        <Alert type="warning" showIcon message={status.warning} className="qf-home-alert" data-testid="backup-warning-page" />
      )}
      <div className="qf-backup-grid">
        <Card title={<><SafetyOutlined /> 备份</>} size="small" className="qf-card" data-testid="backup-status">
          <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 112 } }}>
            <Descriptions.Item label="上次成功备份">
              <span data-testid="backup-last">
                {last ? `${formatStoredTime(last.created_at)}（${daysAgo(status?.days_since_backup ?? 0)}）` : "从未备份"}
              </span>
            </Descriptions.Item>
            {last && <Descriptions.Item label="备份内容">{`${last.events} 条记录，${formatBytes(last.bytes)}`}</Descriptions.Item>}
            <Descriptions.Item label="备份位置">{status?.backup_dir ?? "尚未选择"}</Descriptions.Item>
            {status?.last_error && (
              <Descriptions.Item label="上次失败">
                <Typography.Text type="danger" data-testid="backup-last-error">
                  {status.last_error}
                </Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Space direction="vertical" style={{ width: "100%", marginTop: 12 }}>
            {busy === "backup" && <ProgressLine progress={progress} testId="backup-progress" />}
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              onClick={backupNow}
              loading={busy === "backup"}
              disabled={!status?.has_code || !status.backup_dir || busy !== null}
              data-testid="backup-now"
            >
              立即备份
            </Button>
          </Space>
        </Card>

        <Card title="备份设置" size="small" className="qf-card" data-testid="backup-settings">
          <Form<BackupSettings> form={form} layout="vertical" requiredMark={false} onFinish={save} disabled={busy !== null}>
            <Form.Item
              name="dir"
              label="备份位置（文件夹，可以在U盘上）"
              rules={[{ required: true, whitespace: true, message: "请填写备份文件夹" }]}
              style={{ marginBottom: 12 }}
            >
              <Input data-testid="backup-dir" placeholder="如 /media/U盘/清风备份" />
            </Form.Item>
            <Space size={16} wrap>
              <Form.Item name="interval_hours" label="自动备份间隔（小时）" style={{ marginBottom: 12 }}>
                <InputNumber min={1} max={720} precision={0} style={{ width: 120 }} data-testid="backup-interval" />
              </Form.Item>
              <Form.Item name="keep" label="保留份数" style={{ marginBottom: 12 }}>
                <InputNumber min={1} max={100} precision={0} style={{ width: 120 }} data-testid="backup-keep" />
              </Form.Item>
              <Form.Item name="warn_days" label="超过几天未备份即提醒" style={{ marginBottom: 12 }}>
                <InputNumber min={1} max={90} precision={0} style={{ width: 120 }} data-testid="backup-warn-days" />
              </Form.Item>
            </Space>
            <Button htmlType="submit" loading={busy === "save"} data-testid="backup-settings-save">
              保存设置
            </Button>
          </Form>
        </Card>

        <Card title={<><KeyOutlined /> 恢复码</>} size="small" className="qf-card" data-testid="recovery-card">
          <Typography.Paragraph style={{ marginBottom: 12 }} data-testid="recovery-state">
            {status?.has_code
              ? `本机关的恢复码生成于 ${formatStoredTime(status.code_set_at ?? "")}，应存放在保险柜中。备份用它加密；电脑损坏或钥匙串丢失时凭它恢复。`
              : "本机关还没有恢复码。没有恢复码就不能备份，电脑钥匙串丢失时也无法找回数据。请立即生成，并把恢复页放入保险柜。"}
          </Typography.Paragraph>
          {status?.has_code ? (
            <Button onClick={askReplace} loading={busy === "code"} data-testid="recovery-replace">
              更换恢复码
            </Button>
          ) : (
            <Button type="primary" onClick={() => makeCode(false)} loading={busy === "code"} data-testid="recovery-create">
              生成恢复码
            </Button>
          )}
        </Card>

        <Card title="备份文件夹中的备份" size="small" className="qf-card" data-testid="backup-list">
          <Table<ListedBackup>
            size="small"
            rowKey="path"
            pagination={false}
            dataSource={list}
            locale={{ emptyText: "备份文件夹中还没有本机关的备份" }}
            columns={[
              { title: "备份时间", render: (_, b) => formatMs(b.header.created_at_ms) },
              { title: "记录", render: (_, b) => `${b.header.events} 条` },
              { title: "大小", render: (_, b) => formatBytes(b.bytes) },
            ]}
          />
        </Card>
      </div>

      <Card title="从备份恢复本机" size="small" style={{ marginTop: 16 }} data-testid="backup-restore">
        <Typography.Paragraph type="secondary">
          本机数据库损坏、或需要退回到某次备份时使用。恢复前会说明备份中有什么、会失去什么，现有数据库改名保留，不会删除。
        </Typography.Paragraph>
        <RestoreFromBackup onDone={setRestored} officeCode={officeCode} />
      </Card>

      <Modal
        open={code !== null}
        title="本机关的恢复码"
        width={920}
        footer={null}
        closable={false}
        maskClosable={false}
        destroyOnHidden
      >
        {code && <RecoveryCodePanel view={code} onDone={() => setCode(null)} />}
      </Modal>
    </div>
  );
}

/** How long ago, in words: "今天" rather than "0 天前". */
function daysAgo(days: number): string {
  return days === 0 ? "今天" : `${days} 天前`;
}
