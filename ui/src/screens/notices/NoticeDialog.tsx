// The preview-and-issue dialog of a notice: the form (fields from the record shown, the rest to
// fill in), a preview of the pages without a number, then 签发 (the number is assigned) and
// 打印 / 另存为PDF.
import { Alert, Button, Descriptions, Form, Input, Modal, Result, Space, Spin, Typography } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { FieldInput, IssuedDocument, NoticeField, NoticeForm, NoticePreview, NoticeRecord } from "../../bindings";
import { noticeLabel } from "./kinds";
import { PrintPanel } from "./PrintPanel";

type Props = {
  open: boolean;
  kind: string;
  record: NoticeRecord;
  onClose: () => void;
  /** Called once the notice is issued (the record's page reloads its timeline). */
  onIssued?: (doc: IssuedDocument) => void;
};

function inputsOf(fields: NoticeField[], values: Record<string, string>): FieldInput[] {
  return fields.filter((f) => !f.locked).map((f) => ({ name: f.name, value: values[f.name] ?? "" }));
}

export function NoticeDialog({ open, kind, record, onClose, onIssued }: Props) {
  const api = useApi();
  const [form, setForm] = useState<NoticeForm | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<NoticePreview | null>(null);
  const [issued, setIssued] = useState<IssuedDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"preview" | "confirm" | "issue" | null>(null);
  // 签发 uses up a document number for good: it asks first, naming the number it will take.
  const [confirming, setConfirming] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setForm(null);
    setPreview(null);
    setIssued(null);
    setError(null);
    api.noticeForm(kind, record, []).then(
      (f) => {
        if (!live) return;
        setForm(f);
        setValues(Object.fromEntries(f.fields.filter((x) => !x.locked).map((x) => [x.name, x.value ?? ""])));
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, open, kind, record.kind, record.id]);

  async function showPreview() {
    if (!form) return;
    setBusy("preview");
    setError(null);
    try {
      setPreview(await api.noticePreview(kind, record, inputsOf(form.fields, values)));
    } catch (e) {
      setPreview(null);
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  // Reads the next number afresh (another officer may have issued one since the preview) and asks.
  async function askToIssue() {
    if (!form) return;
    setBusy("confirm");
    setError(null);
    try {
      const fresh = await api.noticePreview(kind, record, inputsOf(form.fields, values));
      setPreview(fresh);
      setConfirming(fresh.next_number);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function issue() {
    if (!form) return;
    setConfirming(null);
    setBusy("issue");
    setError(null);
    try {
      const doc = await api.noticeIssue(kind, record, inputsOf(form.fields, values));
      setIssued(doc);
      onIssued?.(doc);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const title = form?.title ?? noticeLabel(kind);
  const locked = form?.fields.filter((f) => f.locked) ?? [];
  const editable = form?.fields.filter((f) => !f.locked) ?? [];
  const changed = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    // A preview of other values would mislead: it must be made again before issuing.
    setPreview(null);
  };

  let body;
  if (issued) {
    body = (
      <div data-testid="notice-issued">
        <Result
          status="success"
          title={`已签发 ${issued.number}`}
          subTitle={`${issued.title}，${issued.issue_date}。文书已存入发文登记，可随时重新打印。`}
          extra={<PrintPanel doc={issued} />}
        />
      </div>
    );
  } else if (!form) {
    body = error ? null : <Spin data-testid="notice-loading" />;
  } else {
    body = (
      <div className="qf-notice-dialog">
        {locked.length > 0 && (
          <Descriptions
            size="small"
            column={2}
            title="取自记录"
            data-testid="notice-locked"
            items={locked.map((f) => ({ key: f.name, label: f.label, children: f.value ?? "" }))}
          />
        )}
        {editable.length > 0 && (
          <Form layout="vertical" size="small" data-testid="notice-fields">
            {editable.map((f) => (
              <Form.Item key={f.name} label={f.label} required={f.required}>
                {f.field_type === "multiline" ? (
                  <Input.TextArea
                    data-testid={`notice-field-${f.name}`}
                    autoSize={{ minRows: 2, maxRows: 6 }}
                    value={values[f.name] ?? ""}
                    onChange={(e) => changed(f.name, e.target.value)}
                  />
                ) : (
                  <Input
                    data-testid={`notice-field-${f.name}`}
                    placeholder={f.field_type === "date" ? "例如 2026-03-02" : undefined}
                    value={values[f.name] ?? ""}
                    onChange={(e) => changed(f.name, e.target.value)}
                  />
                )}
              </Form.Item>
            ))}
          </Form>
        )}
        {preview && (
          <div data-testid="notice-preview">
            <Typography.Paragraph type="secondary">
              预览（未编号）。签发时将按顺序编号，当前下一个文号为 {preview.next_number}（不预留）。
            </Typography.Paragraph>
            <div className="qf-notice-pages">
              {preview.pages.map((p, i) => (
                <img
                  key={i}
                  alt={`第${i + 1}页`}
                  data-testid="notice-page"
                  src={`data:image/png;base64,${p}`}
                  style={{ width: "100%", border: "1px solid #ddd", marginBottom: 8 }}
                />
              ))}
            </div>
          </div>
        )}
      </div>
    );
  }

  return (
    <Modal
      open={open}
      width={760}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      footer={
        issued ? (
          <Button data-testid="notice-close" onClick={onClose}>
            关闭
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>取消</Button>
            <Button data-testid="notice-preview-button" disabled={!form} loading={busy === "preview"} onClick={showPreview}>
              {preview ? "重新预览" : "生成预览"}
            </Button>
            <Button
              type="primary"
              data-testid="notice-issue"
              disabled={!preview}
              loading={busy === "issue" || busy === "confirm"}
              onClick={() => void askToIssue()}
            >
              签发…
            </Button>
          </Space>
        )
      }
    >
      {error && <Alert type="error" showIcon className="qf-block-alert" data-testid="notice-error" message={error} />}
      {body}
      <Modal
        open={confirming !== null}
        title={`签发${title}`}
        okText="确认签发"
        cancelText="再看看"
        onOk={() => void issue()}
        onCancel={() => setConfirming(null)}
        okButtonProps={{ "data-testid": "notice-issue-confirm" } as Record<string, string>}
        cancelButtonProps={{ "data-testid": "notice-issue-cancel" } as Record<string, string>}
        width={440}
        destroyOnHidden
      >
        <div data-testid="notice-issue-ask">
          <Typography.Paragraph>
            签发后将使用文号 <Typography.Text strong>{confirming}</Typography.Text>，文书存入发文登记。
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">文号一经使用不能收回，请确认内容无误。</Typography.Paragraph>
        </div>
      </Modal>
    </Modal>
  );
}
