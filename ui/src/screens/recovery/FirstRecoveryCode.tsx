// Right after set-up: the office's recovery code is made and shown once, with its page to print,
// before the administrator reaches the home screen.
import { Alert, Button, Card, Space, Spin, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { RecoveryCodeView } from "../../bindings";
import { RecoveryCodePanel } from "./RecoveryCodePanel";
import "./recovery.css";

export function FirstRecoveryCode({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const [view, setView] = useState<RecoveryCodeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const asked = useRef(-1);

  useEffect(() => {
    // Once per attempt: a second call would make a second code and replace the first.
    if (asked.current === attempt) return;
    asked.current = attempt;
    setError(null);
    api.recoveryMake(false).then(setView, (e: unknown) => setError(errorMessage(e)));
  }, [api, attempt]);

  return (
    <div className="qf-center-page">
      <Card className="qf-restore-card" style={{ maxWidth: 980 }} data-testid="first-recovery-code">
        <div className="qf-brand-small">清风</div>
        <Typography.Title level={3} className="qf-page-title">
          本机关的恢复码
        </Typography.Title>
        {view && <RecoveryCodePanel view={view} onDone={onDone} />}
        {!view && !error && <Spin />}
        {error && (
          <Space direction="vertical">
            <Alert type="error" showIcon message={error} data-testid="first-recovery-error" />
            <Space>
              <Button onClick={() => setAttempt((n) => n + 1)}>重试</Button>
              <Button type="link" onClick={onDone} data-testid="first-recovery-skip">
                暂不生成，稍后在“备份与恢复”中生成
              </Button>
            </Space>
          </Space>
        )}
      </Card>
    </div>
  );
}
