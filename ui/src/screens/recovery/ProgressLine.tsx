// One line of progress for a backup or a restore: the stage in words and a bar.
import { Progress as Bar, Space, Spin, Typography } from "antd";
import type { Progress } from "../../bindings";
import { percent } from "./useProgress";

export function ProgressLine({ progress, testId }: { progress: Progress | null; testId: string }) {
  if (!progress) {
    return (
      <Space data-testid={testId}>
        <Spin size="small" />
        <Typography.Text type="secondary">正在准备…</Typography.Text>
      </Space>
    );
  }
  const pct = percent(progress);
  return (
    <div data-testid={testId}>
      <Typography.Text>{progress.label}</Typography.Text>
      {pct === null ? (
        <div>
          <Spin size="small" />{" "}
          <Typography.Text type="secondary">{progress.done > 0 ? `已收到 ${progress.done} 条记录` : "请稍候"}</Typography.Text>
        </div>
      ) : (
        <Bar percent={pct} size="small" status="active" />
      )}
    </div>
  );
}
