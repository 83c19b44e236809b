// The three ways back: unlock this machine's database with the recovery code, restore from a
// backup file, and restore a new machine from the hub. Each says what it will do before doing it.
import { Alert, Button, Checkbox, Form, Input, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { HubRestoreReport, RestorePreview, RestoreReport } from "../../bindings";
import { CodeInput, digitsIn } from "./CodeInput";
import { ProgressLine } from "./ProgressLine";
import { useProgress } from "./useProgress";

const CODE_DIGITS = 54;

function codeHint(code: string): string | null {
  const n = digitsIn(code);
  return n === CODE_DIGITS ? null : `恢复码应为 54 位数字（九组，每组六位），现在是 ${n} 位。`;
}

function Notes({ notes, testId }: { notes: string[]; testId: string }) {
  return (
    <ul className="qf-restore-notes" data-testid={testId}>
      {notes.map((n, i) => (
        <li key={i}>{n}</li>
      ))}
    </ul>
  );
}

/** 用恢复码解锁: the database is here but its key is not. */
export function UnlockForm({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function unlock() {
    const hint = codeHint(code);
    if (hint) return setError(hint);
    setBusy(true);
    setError(null);
    try {
      await api.recoveryUnlock(code);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: "100%" }} size={12} data-testid="unlock-form">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        本机数据库还在，但电脑的钥匙串里没有它的密钥（重装系统、换了登录账号或钥匙串损坏）。输入保险柜中恢复页上的恢复码，即可重新打开数据库，全部记录都在，本机照常同步。
      </Typography.Paragraph>
      <CodeInput value={code} onChange={setCode} testId="unlock-code" />
      {error && <Alert type="error" showIcon message={error} data-testid="unlock-error" />}
      <Button type="primary" loading={busy} onClick={unlock} data-testid="unlock-submit">
        解锁数据库
      </Button>
    </Space>
  );
}

type BackupValues = { file?: string; office?: string };

/** 从备份恢复: check the backup with the code, say what it holds and what is lost, then restore. */
export function RestoreFromBackup({ onDone, officeCode }: { onDone: (r: RestoreReport) => void; officeCode?: string }) {
  const api = useApi();
  const [form] = Form.useForm<BackupValues>();
  const [code, setCode] = useState("");
  const [preview, setPreview] = useState<RestorePreview | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState<"check" | "restore" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, resetProgress] = useProgress("restore-progress");

  const args = () => {
    const v = form.getFieldsValue();
    return { file: (v.file ?? "").trim(), office: (officeCode ?? v.office ?? "").trim() || null };
  };

  async function check() {
    const { file, office } = args();
    if (!file) return setError("请填写备份文件的位置，例如 /media/U盘/清风备份-530102-20261105-143000.qfbak");
    const hint = codeHint(code);
    if (hint) return setError(hint);
    setBusy("check");
    setError(null);
    setPreview(null);
    setConfirmed(false);
    resetProgress();
    try {
      setPreview(await api.restorePreview(file, code, office));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function restore() {
    const { file, office } = args();
    setBusy("restore");
    setError(null);
    resetProgress();
    try {
      onDone(await api.restoreBackup(file, code, office, confirmed));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(null);
    }
  }

  return (
    <Space direction="vertical" style={{ width: "100%" }} size={12} data-testid="restore-backup-form">
      <Form<BackupValues> form={form} layout="vertical" requiredMark={false} disabled={busy !== null}
        onValuesChange={() => setPreview(null)}>
        <Form.Item name="file" label="备份文件" style={{ marginBottom: 12 }}>
          <Input data-testid="restore-file" placeholder="如 /media/U盘/清风备份-530102-20261105-143000.qfbak" />
        </Form.Item>
        {!officeCode && (
          <Form.Item name="office" label="本机关行政区划代码（选填，用于核对备份是否属于本机关）" style={{ marginBottom: 12 }}>
            <Input data-testid="restore-office" maxLength={6} placeholder="如 530102" style={{ width: 200 }} />
          </Form.Item>
        )}
      </Form>
      <div>
        <Typography.Text>恢复码</Typography.Text>
        <CodeInput value={code} onChange={(v) => (setCode(v), setPreview(null))} testId="restore-code" />
      </div>
      {error && <Alert type="error" showIcon message={error} data-testid="restore-error" />}
      {busy && <ProgressLine progress={progress} testId="restore-progress" />}
      {!preview && (
        <Button type="primary" loading={busy === "check"} onClick={check} data-testid="restore-check">
          检查备份
        </Button>
      )}
      {preview && (
        <Alert
          type={preview.existing.newer_events > 0 ? "warning" : "info"}
          showIcon
          data-testid="restore-preview"
          message={`恢复前请确认：${preview.office_name}，${preview.backup_created_at} 的备份`}
          description={<Notes notes={preview.notes} testId="restore-notes" />}
        />
      )}
      {preview && preview.needs_confirmation && (
        <Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="restore-confirm">
          我已了解上述情况，确认用这份备份替换本机现有数据库（原数据库改名保留）
        </Checkbox>
      )}
      {preview && (
        <Button
          type="primary"
          danger={preview.needs_confirmation}
          disabled={preview.needs_confirmation && !confirmed}
          loading={busy === "restore"}
          onClick={restore}
          data-testid="restore-start"
        >
          开始恢复
        </Button>
      )}
    </Space>
  );
}

type HubValues = { hub?: string; token?: string; office?: string };

/** 从省级平台恢复: a new machine, enrolled with a token, restored from the hub's copy. */
export function RestoreFromHub({ onDone }: { onDone: (r: HubRestoreReport) => void }) {
  const api = useApi();
  const [form] = Form.useForm<HubValues>();
  const [notice, setNotice] = useState<string>("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, resetProgress] = useProgress("restore-progress");
  const [code, setCode] = useState("");

  useEffect(() => {
    api.restoreHubNotice().then(setNotice, () => {});
  }, [api]);

  async function start(v: HubValues) {
    // The code is checked before the one-time token is spent on enrolling.
    const hint = code.trim() ? codeHint(code) : null;
    if (hint) {
      setError(hint);
      return;
    }
    setBusy(true);
    setError(null);
    resetProgress();
    try {
      const office = (v.office ?? "").trim();
      onDone(await api.restoreHub((v.hub ?? "").trim(), (v.token ?? "").trim(), office, code.trim() || null));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  const required = (message: string) => [{ required: true, whitespace: true, message }];
  return (
    <Space direction="vertical" style={{ width: "100%" }} size={12} data-testid="restore-hub-form">
      {notice && <Alert type="info" showIcon message="恢复前请了解" description={notice} data-testid="restore-hub-notice" />}
      <Form<HubValues> form={form} layout="vertical" requiredMark={false} disabled={busy} onFinish={start}>
        <Form.Item name="hub" label="省级平台地址" rules={required("请填写省级平台地址")} style={{ marginBottom: 12 }}>
          <Input data-testid="restore-hub-url" placeholder="如 https://10.1.2.3:8443" />
        </Form.Item>
        <div className="qf-form-row">
          <Form.Item name="office" label="本机关行政区划代码" rules={required("请填写本机关代码")} className="qf-form-col">
            <Input data-testid="restore-hub-office" maxLength={6} placeholder="如 530102" />
          </Form.Item>
          <Form.Item name="token" label="登记口令（向省级平台管理员索取）" rules={required("请填写登记口令")} className="qf-form-col">
            <Input data-testid="restore-hub-token" autoComplete="off" />
          </Form.Item>
        </div>
        <div style={{ marginBottom: 12 }}>
          <div style={{ marginBottom: 8 }}>恢复码（本机关设置过恢复码的必须填写，用于找回举报人身份信息的解密密钥）</div>
          <CodeInput value={code} onChange={setCode} testId="restore-hub-code" />
        </div>
        {error && <Alert type="error" showIcon message={error} data-testid="restore-hub-error" style={{ marginBottom: 12 }} />}
        {busy && <ProgressLine progress={progress} testId="restore-hub-progress" />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="restore-hub-start">
          从省级平台恢复
        </Button>
      </Form>
    </Space>
  );
}

/** After a restore: what came back and what to do next. */
export function RestoredNotes({ notes }: { notes: string[] }) {
  return <Notes notes={notes} testId="restored-notes" />;
}
