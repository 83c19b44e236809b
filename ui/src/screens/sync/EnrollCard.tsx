// 登记到省级平台: online with the one-time token the hub's administrator issued, or, for an office
// without a network, offline: save the request file to a USB stick through the save dialog, carry
// it to the hub, and bring back the certificate file it issues.
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Card, Divider, Form, Input, Space, Typography } from "antd";
import { useApi } from "../../api";
import type { SyncStatus } from "../../bindings";

export type Act = <T>(kind: "enroll" | "request" | "certificate", run: () => Promise<T>, done: (r: T) => string | null) => void;

export function EnrollCard({ act, busy }: { act: Act; busy: string | null }) {
  const api = useApi();
  return (
    <Card title="登记到省级平台" className="qf-card-gap" data-testid="enroll-card">
      <Typography.Paragraph strong>有网络：填写平台地址和登记口令</Typography.Paragraph>
      <Form
        layout="inline"
        className="qf-enroll-form"
        onFinish={(v: { hub: string; token: string }) =>
          act("enroll", () => api.syncEnroll(v.hub, v.token), () => "本机已登记到省级平台，将在后台开始同步。")
        }
      >
        <Form.Item name="hub" label="平台地址" rules={[{ required: true, message: "请填写平台地址" }]}>
          <Input placeholder="https://10.1.2.3:8443" data-testid="sync-hub-url" style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="token" label="登记口令" rules={[{ required: true, message: "请填写登记口令" }]}>
          <Input data-testid="sync-token" style={{ width: 220 }} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={busy === "enroll"} disabled={busy !== null} data-testid="sync-enroll">
          登记
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" className="qf-card-gap">
        登记口令由省级平台管理员签发，一次有效。
      </Typography.Paragraph>
      <Divider />
      <Typography.Paragraph strong>没有网络：用U盘办理登记</Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        第一步，把本机的登记申请文件保存到U盘，送到省级平台；第二步，平台管理员签发证书文件后带回，在这里导入。
      </Typography.Paragraph>
      <Space wrap>
        <Button
          icon={<DownloadOutlined />}
          loading={busy === "request"}
          disabled={busy !== null}
          data-testid="enroll-request-save"
          onClick={() =>
            act(
              "request",
              () => api.enrollmentRequestSave(),
              (path: string | null) => (path ? `已保存登记申请文件：${path}。请送交省级平台签发证书。` : null),
            )
          }
        >
          保存登记申请文件…
        </Button>
        <Button
          icon={<UploadOutlined />}
          loading={busy === "certificate"}
          disabled={busy !== null}
          data-testid="enroll-certificate"
          onClick={() =>
            act(
              "certificate",
              () => api.enrollmentCertificateInstall(),
              (s: SyncStatus | null) => (s ? "已导入证书，本机已登记到省级平台。" : null),
            )
          }
        >
          导入证书文件…
        </Button>
      </Space>
    </Card>
  );
}
