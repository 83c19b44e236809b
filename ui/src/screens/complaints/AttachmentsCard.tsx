// The complaint's attachments: add a scanned letter or recording, and open one (petitions and
// leaders only, with a purpose, recorded — a scan shows who wrote the letter).
import { PaperClipOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Empty, Input, List, Modal, Space, Tag, Typography } from "antd";
import { useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { AttachmentView, ComplaintDetail } from "../../bindings";

/** The same limit the core enforces; checked here first so a huge file is not read in vain. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MSG_TOO_LARGE = "文件超过 20 MB 的上限，请压缩或分成几个文件后再添加。";
export const MSG_PURPOSE = "请填写查看事由";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file's bytes as base64 (without the data-URL prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error("无法读取该文件，请确认文件没有损坏。"));
    reader.readAsDataURL(file);
  });
}

export function AttachmentsCard({ detail, onChange }: { detail: ComplaintDetail; onChange: (d: ComplaintDetail) => void }) {
  const api = useApi();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [opening, setOpening] = useState<AttachmentView | null>(null);
  const [purpose, setPurpose] = useState("");
  const [openError, setOpenError] = useState<string | null>(null);
  const id = detail.summary.id;

  async function add(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_ATTACHMENT_BYTES) {
      message.error(MSG_TOO_LARGE);
      return;
    }
    setBusy(true);
    try {
      onChange(await api.complaintAttach(id, file.name, await readBase64(file)));
      message.success(`已添加附件“${file.name}”`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
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
      const path = await api.complaintOpenAttachment(id, opening.sha256, purpose.trim());
      message.success(`已保存到 ${path}（查看已留痕）`);
      setOpening(null);
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
        <>
          <input
            ref={input}
            type="file"
            hidden
            data-testid="attachment-input"
            accept=".pdf,.jpg,.jpeg,.png,.tif,.tiff,.mp3,.wav,.m4a,.amr,.doc,.docx,.txt"
            onChange={(e) => void add(e.target.files?.[0])}
          />
          <Button size="small" icon={<PaperClipOutlined />} loading={busy} onClick={() => input.current?.click()} data-testid="attachment-add">
            添加附件
          </Button>
        </>
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
          okText="保存到下载文件夹"
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
