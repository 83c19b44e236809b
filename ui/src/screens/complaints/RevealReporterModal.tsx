// 查看身份: the one way to the reporter's identity. A purpose is required, the backend logs the
// reading, and what it returns lives only in this modal (gone when it closes).
import { Alert, Button, Descriptions, Form, Input, Modal, Typography } from "antd";
import { useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { Reporter } from "../../bindings";

export const REVEAL_NOTICE = "查看记录已留痕";
export const MSG_PURPOSE = "请填写查看事由";

export function RevealReporterModal({
  complaintId,
  number,
  onClose,
  onViewed,
}: {
  complaintId: string;
  number: string;
  onClose: () => void;
  /** Called after a reading, so the page can show the new timeline entry. */
  onViewed: () => void;
}) {
  const api = useApi();
  const [form] = Form.useForm<{ purpose?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // undefined: not read yet; null: nothing on record (anonymous).
  const [reporter, setReporter] = useState<Reporter | null | undefined>(undefined);
  const [purpose, setPurpose] = useState("");

  async function reveal() {
    if (busy) return;
    setError(null);
    let p: string;
    try {
      const v = await form.validateFields();
      p = (v.purpose ?? "").trim();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const r = await api.complaintRevealReporter(complaintId, p);
      setPurpose(p);
      setReporter(r);
      onViewed();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const shown = reporter !== undefined;

  return (
    <Modal
      open
      title={`查看检举人身份 · ${number}`}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      width={520}
      footer={
        shown
          ? [
              <Button key="close" type="primary" onClick={onClose} data-testid="reveal-close">
                关闭
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose} disabled={busy}>
                取消
              </Button>,
              <Button key="ok" type="primary" data-testid="modal-submit" loading={busy} onClick={() => void reveal()}>
                查看
              </Button>,
            ]
      }
    >
      <div data-testid="reveal-notice" className="qf-modal-hint">
        <Alert
          type="warning"
          showIcon
          message={shown ? `${REVEAL_NOTICE}：本次查看已记入时间线` : `${REVEAL_NOTICE}：每次查看都会记录查看人、时间和事由`}
          description={shown ? `事由：${purpose}。请严格保密，不得向被反映人透露。` : "检举人身份须严格保密，仅在工作确需时查看。"}
        />
      </div>
      {shown ? (
        reporter ? (
          <Descriptions
            data-testid="reveal-identity"
            bordered
            size="small"
            column={1}
            items={[
              { key: "name", label: "姓名", children: reporter.name || "—" },
              { key: "unit", label: "单位", children: reporter.unit ?? "—" },
              { key: "contact", label: "联系方式", children: reporter.contact || "—" },
              { key: "address", label: "地址", children: reporter.address ?? "—" },
            ]}
          />
        ) : (
          <Typography.Paragraph data-testid="reveal-identity">未记录检举人身份（匿名检举）。</Typography.Paragraph>
        )
      ) : (
        <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)}>
          <Form.Item
            name="purpose"
            label="查看事由"
            rules={[{ required: true, whitespace: true, message: MSG_PURPOSE }]}
          >
            <Input.TextArea
              data-testid="reveal-purpose"
              autoSize={{ minRows: 2, maxRows: 5 }}
              maxLength={200}
              placeholder="如：电话告知受理情况"
            />
          </Form.Item>
        </Form>
      )}
      {error && (
        <div data-testid="modal-error">
          <Alert type="error" showIcon message={error} />
        </div>
      )}
    </Modal>
  );
}
