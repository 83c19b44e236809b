// Before anyone can log in: a machine whose keyring was lost, or a new machine for an existing
// office. Offers, in plain words, the ways back that fit what is on the machine.
import { Alert, Button, Card, Result, Tabs, Typography } from "antd";
import { useState } from "react";
import type { StartupView } from "../../bindings";
import { RestoreFromBackup, RestoreFromHub, RestoredNotes, UnlockForm } from "./RestoreForms";
import "./recovery.css";

export function RestoreScreen({
  startup,
  onRestored,
  onBack,
}: {
  startup: StartupView | null;
  onRestored: () => void;
  onBack?: () => void;
}) {
  const [done, setDone] = useState<{ title: string; notes: string[] } | null>(null);
  const canUnlock = !!startup?.key_missing && startup.envelope;

  if (done) {
    return (
      <div className="qf-center-page">
        <Card className="qf-restore-card" data-testid="restore-done">
          <Result
            status="success"
            title={done.title}
            subTitle={<RestoredNotes notes={done.notes} />}
            extra={
              <Button type="primary" onClick={onRestored} data-testid="restore-continue">
                进入登录
              </Button>
            }
          />
        </Card>
      </div>
    );
  }

  const items = [
    ...(canUnlock
      ? [{ key: "unlock", label: "用恢复码解锁", children: <UnlockForm onDone={onRestored} /> }]
      : []),
    {
      key: "backup",
      label: "从备份恢复",
      children: (
        <RestoreFromBackup
          onDone={(r) =>
            setDone({
              title: `已从备份恢复${r.office_name}（${r.events} 条记录，校验完好）`,
              notes: [
                "本机现在是本机关的一台新设备，原来的账号和密码照常使用。",
                "如本机关与省级平台联网，请管理员登录后在“同步”中重新登记本机，之后会自动取回平台上较新的记录。",
                ...(r.moved_aside ? [`原数据库已改名保存为 ${r.moved_aside}。`] : []),
              ],
            })
          }
        />
      ),
    },
    {
      key: "hub",
      label: "从省级平台恢复",
      children: (
        <RestoreFromHub
          onDone={(r) => setDone({ title: `已从省级平台恢复${r.office_name}（${r.events} 条记录，校验完好）`, notes: r.notes })}
        />
      ),
    },
  ];

  return (
    <div className="qf-center-page">
      <Card className="qf-restore-card" variant="outlined" data-testid="restore-screen">
        <div className="qf-brand-small">清风</div>
        <Typography.Title level={3} className="qf-page-title">
          恢复本机关的数据
        </Typography.Title>
        {startup?.key_missing && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="restore-key-missing"
            message="本机数据库的密钥找不到了"
            description={
              canUnlock
                ? "数据库文件还在。请用保险柜中恢复页上的恢复码解锁，全部记录都能找回。"
                : "数据库文件还在，但旁边没有恢复信息文件，无法用恢复码解锁。请从备份文件或省级平台恢复。"
            }
          />
        )}
        <Tabs defaultActiveKey={canUnlock ? "unlock" : "backup"} items={items} data-testid="restore-tabs" />
        {onBack && (
          <Button type="link" onClick={onBack} style={{ paddingLeft: 0 }} data-testid="restore-back">
            返回，建立新的机关
          </Button>
        )}
      </Card>
    </div>
  );
}
