// The recovery code, shown once: nine groups in large digits, the recovery page to print or save,
// and a confirmation that it is in the safe before the administrator moves on.
import { PrinterOutlined, SaveOutlined } from "@ant-design/icons";
import { Alert, Button, Checkbox, Space, Typography } from "antd";
import { useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { RecoveryCodeView } from "../../bindings";
import "./recovery.css";

export function CodeGroups({ groups }: { groups: string[] }) {
  return (
    <div className="qf-code-grid" data-testid="recovery-code">
      {groups.map((g, i) => (
        <div className="qf-code-group" key={i}>
          <span className="qf-code-group-label">第 {i + 1} 组</span>
          <span className="qf-code-digits" data-testid={`recovery-group-${i + 1}`}>
            {g}
          </span>
        </div>
      ))}
    </div>
  );
}

export function RecoveryCodePanel({ view, onDone }: { view: RecoveryCodeView; onDone: () => void }) {
  const api = useApi();
  const [stored, setStored] = useState(false);
  const [busy, setBusy] = useState<"print" | "save" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(kind: "print" | "save") {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      if (kind === "print") {
        const job = await api.recoverySheetPrint(null);
        setNotice(`已送往打印机（作业 ${job}），请到打印机处取件。`);
      } else {
        const path = await api.recoverySheetSave();
        setNotice(`恢复页已保存为 ${path}。打印后请删除这个文件，不要留在电脑上。`);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function done() {
    try {
      await api.recoverySheetForget();
    } catch {
      // Forgetting the page is housekeeping; the administrator has what they need.
    }
    onDone();
  }

  return (
    <div data-testid="recovery-code-panel">
      <Alert
        type="warning"
        showIcon
        message="恢复码只显示这一次，请立即打印恢复页或工整抄写，放入保险柜。"
        description="电脑损坏、重装或钥匙串丢失时，凭恢复码才能打开本机数据库和备份文件。程序不保存恢复码；拿到恢复码的人能打开全部备份，请勿拍照或存放在电脑里。"
        style={{ marginBottom: 16 }}
      />
      <div className="qf-code-layout">
        <Space direction="vertical" size={12}>
          <CodeGroups groups={view.groups} />
          <Typography.Text type="secondary" data-testid="recovery-key-number">
            恢复码编号：{view.key_number}
          </Typography.Text>
          {view.sheet_error && <Alert type="error" showIcon message={view.sheet_error} data-testid="recovery-sheet-error" />}
          {view.pages.length > 0 && (
            <Space>
              <Button
                icon={<PrinterOutlined />}
                type="primary"
                loading={busy === "print"}
                onClick={() => act("print")}
                data-testid="recovery-print"
              >
                打印恢复页
              </Button>
              <Button icon={<SaveOutlined />} loading={busy === "save"} onClick={() => act("save")} data-testid="recovery-save">
                另存为PDF
              </Button>
            </Space>
          )}
          {notice && <Alert type="success" showIcon message={notice} data-testid="recovery-notice" />}
          {error && <Alert type="error" showIcon message={error} data-testid="recovery-error" />}
          <Checkbox checked={stored} onChange={(e) => setStored(e.target.checked)} data-testid="recovery-stored">
            我已把恢复页（或抄写的恢复码）放入保险柜
          </Checkbox>
          <Button type="primary" disabled={!stored} onClick={done} data-testid="recovery-done">
            完成
          </Button>
        </Space>
        {view.pages[0] && (
          <img
            className="qf-sheet-preview"
            src={`data:image/png;base64,${view.pages[0]}`}
            alt="恢复页预览"
            data-testid="recovery-sheet-preview"
          />
        )}
      </div>
    </div>
  );
}
