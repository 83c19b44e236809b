import { Alert, Button, Card, Form, Input, Typography } from "antd";
import type { InputRef } from "antd";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../api";
import type { OfficeView, SessionView } from "../bindings";
import { officeLevelLabel } from "../labels";

type LoginFormValues = { username?: string; password?: string };

export const MSG_USERNAME_EMPTY = "请输入账号";
export const MSG_PASSWORD_EMPTY = "请输入密码";

export function LoginScreen({
  office,
  onDone,
}: {
  office: OfficeView | null;
  onDone: (session: SessionView) => void;
}) {
  const api = useApi();
  const [form] = Form.useForm<LoginFormValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<InputRef>(null);

  // After a failed attempt the password is cleared; put the cursor back there.
  useEffect(() => {
    if (error) passwordRef.current?.focus();
  }, [error]);

  async function submit(values: LoginFormValues) {
    setSubmitting(true);
    setError(null);
    try {
      const session = await api.login({
        username: (values.username ?? "").trim(),
        password: values.password ?? "",
      });
      onDone(session);
    } catch (e) {
      setError(errorMessage(e));
      setSubmitting(false);
      // Keep the account, ask for the password again.
      form.setFieldValue("password", "");
    }
  }

  return (
    <div className="qf-center-page">
      <Card className="qf-login-card" variant="outlined">
        <div className="qf-brand-small">清风</div>
        <Typography.Title level={3} className="qf-page-title" data-testid="login-office-name">
          {office?.name ?? "清风"}
        </Typography.Title>
        {office && (
          <Typography.Paragraph type="secondary" className="qf-page-lead">
            {officeLevelLabel(office.level)} · 行政区划代码 {office.code}
          </Typography.Paragraph>
        )}

        <Form<LoginFormValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          onValuesChange={() => error && setError(null)}
        >
          <Form.Item name="username" label="账号" rules={[{ required: true, whitespace: true, message: MSG_USERNAME_EMPTY }]}>
            <Input data-testid="login-username" autoFocus autoComplete="username" size="large" disabled={submitting} />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: MSG_PASSWORD_EMPTY }]}>
            <Input.Password
              data-testid="login-password"
              ref={passwordRef}
              autoComplete="current-password"
              size="large"
              disabled={submitting}
            />
          </Form.Item>

          {error && (
            <div data-testid="login-error" className="qf-form-alert">
              <Alert type="error" showIcon message={error} />
            </div>
          )}

          <Form.Item className="qf-submit-row">
            <Button data-testid="login-submit" type="primary" htmlType="submit" size="large" block loading={submitting}>
              登录
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
