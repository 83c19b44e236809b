// The quarterly report of concluded results (季度办结情况报告), recorded from its row on 工作台.
import { Alert, DatePicker, Form, Input, Modal } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { Role } from "../../bindings";
import { DATE_FORMAT, beijingToday, isFuture, isoDate } from "../complaints/common";

type Values = { date: Dayjs; note?: string };

export function QuarterlyReportModal({
  department,
  quarter,
  title,
  onClose,
}: {
  department: Role;
  quarter: string;
  title: string;
  onClose: (done: boolean) => void;
}) {
  const api = useApi();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.quarterlyReportSubmit({ department, quarter, date: isoDate(v.date), note: (v.note ?? "").trim() });
      onClose(true);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={title}
      okText="记录报送"
      cancelText="取消"
      onOk={submit}
      onCancel={() => onClose(false)}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "modal-submit" } as Record<string, string>}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ date: beijingToday() }}>
        <Form.Item name="date" label="报送日期" rules={[{ required: true, message: "请选择报送日期" }]}>
          <DatePicker format={DATE_FORMAT} disabledDate={isFuture} allowClear={false} data-testid="quarterly-date" />
        </Form.Item>
        <Form.Item name="note" label="报送情况（如办结件数、报送方式）">
          <Input.TextArea rows={3} maxLength={2000} data-testid="quarterly-note" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="modal-error" />}
    </Modal>
  );
}
