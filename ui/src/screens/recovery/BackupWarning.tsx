// On the administrator's 工作台: when the last good backup was made, and a warning when it is old.
import { Alert, Button } from "antd";
import { useEffect, useState } from "react";
import { useApi } from "../../api";
import type { RecoveryStatus } from "../../bindings";
import { formatStoredTime } from "./time";

export function BackupWarning({ onOpen }: { onOpen: () => void }) {
  const api = useApi();
  const [status, setStatus] = useState<RecoveryStatus | null>(null);
  useEffect(() => {
    let live = true;
    api.recoveryStatus().then(
      (s) => live && setStatus(s),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api]);
  if (!status) return null;
  const action = (
    <Button size="small" onClick={onOpen} data-testid="backup-warning-open">
      备份与恢复
    </Button>
  );
  if (!status.has_code) {
    return (
      <Alert
        type="warning"
        showIcon
        className="qf-home-alert"
        data-testid="backup-warning"
        message="本机关还没有恢复码，也就不能备份。请在“备份与恢复”中生成恢复码并放入保险柜。"
        action={action}
      />
    );
  }
  if (status.warning) {
    return (
      <Alert type="warning" showIcon className="qf-home-alert" data-testid="backup-warning" message={status.warning} action={action} />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      className="qf-home-alert"
      data-testid="backup-ok"
      message={`上次成功备份：${status.last_backup ? formatStoredTime(status.last_backup.created_at) : "—"}`}
      action={action}
    />
  );
}
