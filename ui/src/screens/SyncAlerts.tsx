// What an officer must know about sync beyond the numbers, in plain words: files still on their
// way (附件传输中), a record too large to send that holds back this machine's uploads, and
// clocks out of step (another office's device, or this machine against the hub).
import { Alert, Space } from "antd";
import type { SyncStatus } from "../bindings";

/** Bytes as people read them (KB up to a megabyte, then MB with one decimal). */
function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function SyncAlerts({ status }: { status: SyncStatus }) {
  const { blocked, clock_alarm: clock, blobs } = status;
  if (!blocked && !clock && blobs.missing === 0) {
    return null;
  }
  return (
    <Space direction="vertical" style={{ width: "100%" }} className="qf-home-alert" data-testid="sync-alerts">
      {blocked && (
        <Alert
          type="error"
          showIcon
          data-testid="sync-blocked"
          message={`有一条记录无法上传：${blocked.record}`}
          description={`${blocked.reason}${blocked.waiting > 0 ? `（其后还有 ${blocked.waiting} 条记录在等待上传）` : ""}`}
        />
      )}
      {clock && (
        <Alert
          type="warning"
          showIcon
          data-testid="sync-clock"
          message="时钟不一致"
          description={clock.split("\n").map((line) => (
            <div key={line}>{line}</div>
          ))}
        />
      )}
      {blobs.missing > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="sync-blobs"
          message={`附件传输中：还有 ${blobs.missing} 个附件或证明材料（共约 ${size(blobs.missing_bytes)}）正在从省级平台传来`}
          description={
            (blobs.received_bytes > 0 ? `已收到 ${size(blobs.received_bytes)}，网络中断后会接着传，不必从头开始。` : "") +
            "记录本身已经到达，照常办理；文件到达后即可打开。"
          }
        />
      )}
    </Space>
  );
}
