// The complaint's attachments: add a scanned letter or recording, and open one (petitions and
// leaders only, with a purpose, recorded — a scan shows who wrote the letter).
import { PaperClipOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Empty, Input, List, Modal, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { AttachmentView, ComplaintDetail } from "../../bindings";

export const MSG_PURPOSE = "请填写查看事由";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function AttachmentsCard({ detail, onChange }: { detail: ComplaintDetail; onChange: (d: ComplaintDetail) => void }) {
  const api = useApi();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [opening, setOpening] = useState<AttachmentView | null>(null);
  const [purpose, setPurpose] = useState("");
  const [openError, setOpenError] = useState<string | null>(null);
  const id = detail.summary.id;

  // The platform's open dialog picks the files; the core checks each one's type and size.
  async function add() {
    setBusy(true);
    try {
      const next = await api.complaintAttach(id);
      if (next) {
        const added = next.attachments.length - detail.attachments.length;
        onChange(next);
        message.success(added > 1 ? `已添加 ${added} 个附件` : "已添加附件");
      }
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function open() {
    if (!opening) return;
    if (!purpose.trim()) {
      setOpenError(MSG_PURPOSE);
      return;
    }
    setBusy(true);
    try {
      const path = await api.complaintOpenAttachment(id, opening.sha256, opening.name, purpose.trim());
      if (path) {
        message.success(`已保存到 ${path}（查看已留痕）`);
        setOpening(null);
      }
    } catch (e) {
      setOpenError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      size="small"
      className="qf-section"
      title={`附件${detail.attachments.length ? `（${detail.attachments.length}）` : ""}`}
      data-testid="complaint-attachments"
      extra={
        <Button size="small" icon={<PaperClipOutlined />} loading={busy} onClick={() => void add()} data-testid="attachment-add">
          添加附件
        </Button>
      }
    >
      {detail.attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无附件（可添加来信扫描件、来电录音等，单个不超过 20 MB）" />
      ) : (
        <List
          size="small"
          dataSource={detail.attachments}
          renderItem={(a) => (
            <List.Item
              data-testid="attachment-row"
              actions={
                detail.can_reveal_reporter && a.available
                  ? [
                      <Button key="open" type="link" size="small" onClick={() => (setOpening(a), setPurpose(""), setOpenError(null))}>
                        查看
                      </Button>,
                    ]
                  : []
              }
            >
              <Space direction="vertical" size={0}>
                <Typography.Text>
                  {a.name}
                  {!a.available && (
                    <Tag color="blue" style={{ marginLeft: 8 }} data-testid="attachment-in-transit">
                      附件传输中
                    </Tag>
                  )}
                </Typography.Text>
                <Typography.Text type="secondary" className="qf-small">
                  {a.kind_label} · {formatSize(a.size)} · {a.added_by}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      {!detail.can_reveal_reporter && detail.attachments.length > 0 && (
        <Typography.Text type="secondary" className="qf-small">
          附件可能含有检举人身份信息，仅信访室和分管领导可以查看。
        </Typography.Text>
      )}
      {opening && (
        <Modal
          open
          title={`查看附件 · ${opening.name}`}
          okText="选择保存位置…"
          cancelText="取消"
          onOk={() => void open()}
          onCancel={() => setOpening(null)}
          okButtonProps={{ loading: busy, "data-testid": "attachment-open-submit" }}
          destroyOnHidden
        >
          <Alert type="warning" showIcon message="附件可能含有检举人身份信息，查看记录将留痕。" className="qf-modal-hint" />
          <Input
            data-testid="attachment-purpose"
            placeholder="查看事由，如“核对来信原件”"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            maxLength={200}
          />
          {openError && <Alert type="error" showIcon message={openError} style={{ marginTop: 12 }} />}
        </Modal>
      )}
    </Card>
  );
}
