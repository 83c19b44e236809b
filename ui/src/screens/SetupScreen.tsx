import { Alert, Button, Card, Divider, Form, Input, Select, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useState } from "react";
import { errorMessage, useApi } from "../api";
import type { OfficeLevel, SessionView, SetupRequest } from "../bindings";
import { OFFICE_LEVEL_OPTIONS } from "../labels";

export const MSG_OFFICE_CODE = "请输入 6 位行政区划代码，如 530102";
export const MSG_PARENT_CODE = "上级机关代码应为 6 位行政区划代码，如 530100";
export const MSG_OFFICE_NAME = "请输入机关名称";
export const MSG_ADMIN_USERNAME = "请输入管理员账号";
export const MSG_ADMIN_NAME = "请输入管理员姓名";
export const MSG_PASSWORD_SHORT = "密码至少 8 位";
export const MSG_PASSWORD_CONFIRM_EMPTY = "请再次输入密码";
export const MSG_PASSWORD_MISMATCH = "两次输入的密码不一致";

export const MIN_PASSWORD_CHARS = 8;
const CODE_RE = /^\d{6}$/;

type SetupFormValues = {
  office_code?: string;
  office_name?: string;
  office_level?: OfficeLevel;
  parent_code?: string;
  admin_username?: string;
  admin_display_name?: string;
  admin_password?: string;
  admin_password_confirm?: string;
};

const trim = (value: string | undefined): string => (value ?? "").trim();

function requiredText(message: string): Rule {
  return {
    validator: (_, value: string | undefined) =>
      trim(value) ? Promise.resolve() : Promise.reject(new Error(message)),
  };
}

const officeCodeRules: Rule[] = [
  {
    validator: (_, value: string | undefined) =>
      CODE_RE.test(trim(value)) ? Promise.resolve() : Promise.reject(new Error(MSG_OFFICE_CODE)),
  },
];

const parentCodeRules: Rule[] = [
  {
    validator: (_, value: string | undefined) => {
      const v = trim(value);
      return v === "" || CODE_RE.test(v) ? Promise.resolve() : Promise.reject(new Error(MSG_PARENT_CODE));
    },
  },
];

const passwordRules: Rule[] = [
  {
    validator: (_, value: string | undefined) =>
      Array.from(value ?? "").length >= MIN_PASSWORD_CHARS
        ? Promise.resolve()
        : Promise.reject(new Error(MSG_PASSWORD_SHORT)),
  },
];

const confirmRules: Rule[] = [
  ({ getFieldValue }) => ({
    validator: (_, value: string | undefined) => {
      if (!value) return Promise.reject(new Error(MSG_PASSWORD_CONFIRM_EMPTY));
      return value === getFieldValue("admin_password")
        ? Promise.resolve()
        : Promise.reject(new Error(MSG_PASSWORD_MISMATCH));
    },
  }),
];

export function toSetupRequest(values: SetupFormValues): SetupRequest {
  const parent = trim(values.parent_code);
  return {
    office_code: trim(values.office_code),
    office_name: trim(values.office_name),
    office_level: values.office_level ?? "county",
    parent_code: parent === "" ? null : parent,
    admin_username: trim(values.admin_username),
    admin_display_name: trim(values.admin_display_name),
    admin_password: values.admin_password ?? "",
  };
}

export function SetupScreen({
  onDone,
  onRestore,
}: {
  onDone: (session: SessionView) => void;
  /** A new machine for an office that exists: restore from a backup or the hub instead. */
  onRestore?: () => void;
}) {
  const api = useApi();
  const [form] = Form.useForm<SetupFormValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(values: SetupFormValues) {
    setSubmitting(true);
    setError(null);
    try {
      const session = await api.setupOffice(toSetupRequest(values));
      onDone(session);
    } catch (e) {
      setError(errorMessage(e));
      setSubmitting(false);
    }
  }

  return (
    <div className="qf-center-page">
      <Card className="qf-setup-card" variant="outlined">
        <div className="qf-brand-small">清风</div>
        <Typography.Title level={3} className="qf-page-title">
          首次使用：建立本机关
        </Typography.Title>
        <Typography.Paragraph type="secondary" className="qf-page-lead">
          本机尚未登记机关。请填写本机关信息并设立系统管理员账号，完成后将以该管理员身份自动登录。
          {onRestore && (
            <>
              {" "}本机关已在使用清风、只是换了电脑？
              <Button type="link" size="small" onClick={onRestore} data-testid="setup-restore" style={{ padding: 0 }}>
                恢复已有机关的数据
              </Button>
            </>
          )}
        </Typography.Paragraph>

        <Form<SetupFormValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          autoComplete="off"
          initialValues={{ office_level: "county" }}
          onFinish={submit}
          onValuesChange={() => error && setError(null)}
          disabled={submitting}
        >
          <Divider orientation="left" plain className="qf-section">
            机关信息
          </Divider>
          <div className="qf-form-row">
            <Form.Item
              name="office_code"
              label="行政区划代码"
              rules={officeCodeRules}
              validateTrigger="onBlur"
              className="qf-form-col"
            >
              <Input data-testid="setup-office-code" placeholder="如 530102" maxLength={6} inputMode="numeric" />
            </Form.Item>
            <Form.Item name="office_level" label="层级" className="qf-form-col">
              <Select data-testid="setup-office-level" options={OFFICE_LEVEL_OPTIONS} />
            </Form.Item>
          </div>
          <Form.Item name="office_name" label="机关名称" rules={[requiredText(MSG_OFFICE_NAME)]}>
            <Input data-testid="setup-office-name" placeholder="如 某某县纪委监委" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="parent_code"
            label="上级机关代码（选填）"
            rules={parentCodeRules}
            validateTrigger="onBlur"
          >
            <Input data-testid="setup-parent-code" placeholder="如 530100" maxLength={6} inputMode="numeric" />
          </Form.Item>

          <Divider orientation="left" plain className="qf-section">
            系统管理员
          </Divider>
          <div className="qf-form-row">
            <Form.Item
              name="admin_username"
              label="管理员账号"
              rules={[requiredText(MSG_ADMIN_USERNAME)]}
              className="qf-form-col"
            >
              <Input data-testid="setup-admin-username" placeholder="登录用的账号" autoComplete="off" maxLength={64} />
            </Form.Item>
            <Form.Item
              name="admin_display_name"
              label="管理员姓名"
              rules={[requiredText(MSG_ADMIN_NAME)]}
              className="qf-form-col"
            >
              <Input data-testid="setup-admin-name" placeholder="真实姓名" maxLength={64} />
            </Form.Item>
          </div>
          <div className="qf-form-row">
            <Form.Item name="admin_password" label="密码" rules={passwordRules} className="qf-form-col">
              <Input.Password data-testid="setup-password" placeholder="至少 8 位" autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="admin_password_confirm"
              label="确认密码"
              dependencies={["admin_password"]}
              rules={confirmRules}
              className="qf-form-col"
            >
              <Input.Password
                data-testid="setup-password-confirm"
                placeholder="再次输入密码"
                autoComplete="new-password"
              />
            </Form.Item>
          </div>

          {error && (
            <Alert
              data-testid="setup-error"
              type="error"
              showIcon
              message={error}
              className="qf-form-alert"
            />
          )}

          <Form.Item className="qf-submit-row">
            <Button
              data-testid="setup-submit"
              type="primary"
              htmlType="submit"
              size="large"
              block
              loading={submitting}
            >
              建立机关并登录
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
