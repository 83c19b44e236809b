// 同步包（U盘）: for an office that never has a network, the work travels on a USB stick. The
// platform's save and open dialogs choose the files; a progress bar follows the export or import.
import { ExportOutlined, ImportOutlined } from "@ant-design/icons";
import { Button, Card, Progress, Space, Typography } from "antd";
import { useApi } from "../../api";
import { bundleExportText, bundleImportText } from "./words";

export type BundleAct = <T>(kind: "export" | "import", run: () => Promise<T>, done: (r: T) => string | null) => void;

export function BundleCard({ act, busy, progress }: { act: BundleAct; busy: string | null; progress: [number, number] | null }) {
  const api = useApi();
  const exportBundle = () =>
    act(
      "export",
      async () => {
        const path = await api.bundlePickSave();
        return path ? { path, report: await api.bundleExport(path) } : null;
      },
      (r) => (r ? bundleExportText(r.report, r.path) : null),
    );
  const importBundle = () =>
    act(
      "import",
      async () => {
        const path = await api.bundlePickOpen();
        return path ? await api.bundleImport(path) : null;
      },
      (r) => (r ? bundleImportText(r) : null),
    );
  return (
    <Card title="同步包（U盘）" className="qf-card-gap" data-testid="bundle-card">
      <Typography.Paragraph type="secondary">
        没有网络的单位：把待同步的办理记录导出到U盘，送交省级平台导入；带回平台给出的回执包后在这里导入。
      </Typography.Paragraph>
      <Space direction="vertical" style={{ width: "100%" }}>
        <Space wrap>
          <Button icon={<ExportOutlined />} data-testid="bundle-export" disabled={busy !== null} loading={busy === "export"} onClick={exportBundle}>
            导出同步包…
          </Button>
          <Button icon={<ImportOutlined />} data-testid="bundle-import" disabled={busy !== null} loading={busy === "import"} onClick={importBundle}>
            导入回执包…
          </Button>
        </Space>
        {progress && (busy === "export" || busy === "import") && (
          <Progress
            data-testid="bundle-progress"
            percent={progress[1] ? Math.round((progress[0] / progress[1]) * 100) : 100}
            format={() => `${progress[0]} / ${progress[1]}`}
          />
        )}
      </Space>
    </Card>
  );
}
