// 账号管理: the administrator's screen for the office's accounts — add one with its posts, reset a
// forgotten password, grant or revoke posts, deactivate or reactivate. Every rule (who may, the
// last administrator, one's own account) is the core's; the screen shows its refusals as they come.
// Granting 信访室 or 分管领导 (posts that read reporters' identities) only asks for it; the request
// waits in 待批准的岗位授予 until a second administrator (or a leader) approves or refuses it.
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { type HTMLAttributes, useCallback, useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { NewUserForm, Role, RoleRequestView, UserView } from "../../bindings";
import { ROLE_LABELS, ROLE_ORDER } from "../../labels";
import { MIN_PASSWORD_CHARS, MSG_PASSWORD_CONFIRM_EMPTY, MSG_PASSWORD_MISMATCH, MSG_PASSWORD_SHORT } from "../SetupScreen";

const ROLE_OPTIONS = ROLE_ORDER.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

/** The posts an account holds in this office, in display order. */
function rolesOf(u: UserView): Role[] {
  const held = new Set(u.grants.filter((g) => g.office_code === u.office_code).map((g) => g.role));
  return ROLE_ORDER.filter((r) => held.has(r));
}

/** Password and its repetition, as the set-up screen asks them. */
function PasswordFields({ testId }: { testId: string }) {
  return (
    <>
      <Form.Item
        name="password"
        label="密码"
        rules={[{ required: true, min: MIN_PASSWORD_CHARS, message: MSG_PASSWORD_SHORT }]}
      >
        <Input.Password data-testid={`${testId}-password`} autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="再次输入密码"
        dependencies={["password"]}
        rules={[
          { required: true, message: MSG_PASSWORD_CONFIRM_EMPTY },
          ({ getFieldValue }) => ({
            validator: (_, v) => (v === getFieldValue("password") ? Promise.resolve() : Promise.reject(new Error(MSG_PASSWORD_MISMATCH))),
          }),
        ]}
      >
        <Input.Password data-testid={`${testId}-confirm`} autoComplete="new-password" />
      </Form.Item>
    </>
  );
}

function AddUserCard({ onAdded }: { onAdded: (u: UserView) => void }) {
  const api = useApi();
  const [form] = Form.useForm<NewUserForm & { confirm: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(v: NewUserForm & { confirm: string }) {
    setBusy(true);
    setError(null);
    try {
      const u = await api.userAdd({ username: v.username.trim(), display_name: v.display_name.trim(), password: v.password, roles: v.roles ?? [] });
      form.resetFields();
      onAdded(u);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title="新增账号" className="qf-card-gap" data-testid="user-add-card">
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="user-add-error" />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} className="qf-form-grid">
        <Space wrap align="start" size={[16, 0]}>
          <Form.Item name="display_name" label="姓名" rules={[{ required: true, whitespace: true, message: "请输入姓名" }]}>
            <Input data-testid="user-add-name" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="username"
            label="登录账号"
            rules={[{ required: true, whitespace: true, message: "请输入登录账号，如 zhangsan" }]}
            extra="字母、数字，登录时使用"
          >
            <Input data-testid="user-add-username" style={{ width: 200 }} autoComplete="off" />
          </Form.Item>
        </Space>
        <Space wrap align="start" size={[16, 0]}>
          <PasswordFields testId="user-add" />
        </Space>
        <Form.Item name="roles" label="岗位" rules={[{ required: true, type: "array", min: 1, message: "请至少选择一个岗位" }]}>
          <Checkbox.Group options={ROLE_OPTIONS} data-testid="user-add-roles" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="user-add-submit">
          新增账号
        </Button>
      </Form>
    </Card>
  );
}

/** 重置密码: the administrator gives a forgotten password a new value. */
function PasswordModal({ user, onClose }: { user: UserView; onClose: (done: boolean) => void }) {
  const api = useApi();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.userSetPassword(user.username, v.password);
      onClose(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open
      title={`重置密码 · ${user.display_name}`}
      okText="设为新密码"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={() => onClose(false)}
      okButtonProps={{ "data-testid": "user-password-ok" } as Record<string, string>}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="user-password-error" />}
      <Typography.Paragraph type="secondary">请把新密码当面告诉本人，并提醒其登录后自行修改。</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <PasswordFields testId="user-reset" />
      </Form>
    </Modal>
  );
}

/** 岗位: grant and revoke posts; each change is its own recorded step, so a refusal names one. */
function RolesModal({
  user,
  pending,
  onChange,
  onClose,
}: {
  user: UserView;
  pending: Role[];
  onChange: (u: UserView) => void;
  onClose: () => void;
}) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Role | null>(null);
  const held = rolesOf(user);
  async function toggle(role: Role, granted: boolean) {
    setBusy(role);
    setError(null);
    try {
      onChange(await api.userSetRole(user.username, role, granted));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }
  return (
    <Modal open title={`岗位 · ${user.display_name}`} footer={<Button onClick={onClose}>完成</Button>} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="user-roles-error" />}
      <Space direction="vertical" data-testid="user-roles">
        {ROLE_OPTIONS.map((o) => (
          <Checkbox
            key={o.value}
            checked={held.includes(o.value)}
            disabled={busy !== null}
            data-testid={`user-role-${o.value}`}
            onChange={(e) => void toggle(o.value, e.target.checked)}
          >
            {o.label}
            {pending.includes(o.value) && !held.includes(o.value) && (
              <Tag color="orange" style={{ marginLeft: 8 }} data-testid={`user-role-pending-${o.value}`}>
                已申请，待另一位管理员批准
              </Tag>
            )}
          </Checkbox>
        ))}
      </Space>
    </Modal>
  );
}

/** Requests to grant a post that reads identities: another administrator approves or refuses. */
function RequestsCard({ requests, onDecided }: { requests: RoleRequestView[]; onDecided: () => void }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const [refusing, setRefusing] = useState<RoleRequestView | null>(null);
  const [comment, setComment] = useState("");
  const pending = requests.filter((r) => r.status === "pending");
  async function decide(r: RoleRequestView, approve: boolean, why: string) {
    setError(null);
    try {
      await api.roleRequestDecide(r.id, approve, why);
      setRefusing(null);
      setComment("");
      onDecided();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  if (pending.length === 0) return null;
  return (
    <Card title={`待批准的岗位授予（${pending.length}）`} className="qf-card-gap" data-testid="role-requests">
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="role-request-error" />}
      <Typography.Paragraph type="secondary">
        信访室和分管领导可以看到检举控告人身份，授予须由提出申请以外的另一位系统管理员或分管领导批准。
      </Typography.Paragraph>
      <Table<RoleRequestView>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={pending}
        onRow={() => ({ "data-testid": "role-request-row" }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: "授予谁", render: (_, r) => `${r.display_name}（${r.username}）` },
          { title: "岗位", render: (_, r) => <Tag>{ROLE_LABELS[r.role]}</Tag> },
          { title: "申请人", dataIndex: "requested_by" },
          { title: "申请时间", dataIndex: "requested_at" },
          {
            title: "审批",
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" type="primary" onClick={() => void decide(r, true, "")} data-testid="role-request-approve">
                  同意
                </Button>
                <Button size="small" danger onClick={() => setRefusing(r)} data-testid="role-request-refuse">
                  不同意…
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {refusing && (
        <Modal
          open
          title={`不同意授予 ${refusing.display_name}“${ROLE_LABELS[refusing.role]}”`}
          okText="不同意"
          cancelText="取消"
          okButtonProps={{ danger: true, disabled: !comment.trim(), ...({ "data-testid": "role-request-refuse-ok" } as Record<string, string>) }}
          onOk={() => void decide(refusing, false, comment)}
          onCancel={() => setRefusing(null)}
          destroyOnHidden
        >
          <Input.TextArea
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="请写明不同意的理由"
            data-testid="role-request-comment"
          />
        </Modal>
      )}
    </Card>
  );
}

export function AccountsScreen() {
  const api = useApi();
  const { message } = App.useApp();
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const [editing, setEditing] = useState<UserView | null>(null);

  const [requests, setRequests] = useState<RoleRequestView[]>([]);

  const load = useCallback(() => {
    api.usersList().then(setUsers, (e) => setError(errorMessage(e)));
    api.roleRequests().then(setRequests, (e) => setError(errorMessage(e)));
  }, [api]);
  useEffect(load, [load]);

  const replace = (u: UserView) => {
    setUsers((list) => (list ?? []).map((x) => (x.id === u.id ? u : x)));
    setEditing((e) => (e && e.id === u.id ? u : e));
  };

  async function setActive(u: UserView, active: boolean) {
    setError(null);
    try {
      replace(await api.userSetActive(u.username, active));
      message.success(active ? `已启用 ${u.display_name} 的账号` : `已停用 ${u.display_name} 的账号`);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <div className="qf-page" data-testid="page-accounts">
      <Typography.Title level={4}>账号管理</Typography.Title>
      {error && <Alert type="error" showIcon className="qf-home-alert" message={error} data-testid="accounts-error" />}
      <Card title={users ? `本单位账号（共 ${users.length} 个）` : "本单位账号"}>
        <Table<UserView>
          rowKey="id"
          size="middle"
          loading={users === null && !error}
          dataSource={users ?? []}
          pagination={false}
          data-testid="accounts-table"
          onRow={() => ({ "data-testid": "account-row" }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: "姓名", dataIndex: "display_name", width: 120 },
            { title: "登录账号", dataIndex: "username", width: 140 },
            {
              title: "岗位",
              render: (_, u) => (
                <Space size={[4, 4]} wrap>
                  {rolesOf(u).map((r) => (
                    <Tag key={r} color={r === "admin" ? "blue" : r === "leader" ? "purple" : undefined}>
                      {ROLE_LABELS[r]}
                    </Tag>
                  ))}
                  {rolesOf(u).length === 0 && <Typography.Text type="secondary">无岗位</Typography.Text>}
                </Space>
              ),
            },
            {
              title: "状态",
              width: 150,
              render: (_, u) =>
                !u.active ? (
                  <Tag>已停用</Tag>
                ) : u.locked_until && new Date(u.locked_until) > new Date() ? (
                  <Tag color="orange">密码错误过多，暂时锁定</Tag>
                ) : (
                  <Tag color="green">正常</Tag>
                ),
            },
            {
              title: "操作",
              width: 260,
              render: (_, u) => (
                <Space size={4} wrap>
                  <Button size="small" onClick={() => setEditing(u)} data-testid="account-roles">
                    岗位…
                  </Button>
                  <Button size="small" onClick={() => setResetting(u)} data-testid="account-password">
                    重置密码…
                  </Button>
                  {u.active ? (
                    <Popconfirm
                      title={`停用 ${u.display_name} 的账号？`}
                      description="停用后不能再登录；办理记录都保留，随时可以重新启用。"
                      okText="停用"
                      cancelText="取消"
                      onConfirm={() => void setActive(u, false)}
                      okButtonProps={{ "data-testid": "account-deactivate-ok" } as Record<string, string>}
                    >
                      <Button size="small" danger data-testid="account-deactivate">
                        停用
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button size="small" onClick={() => void setActive(u, true)} data-testid="account-reactivate">
                      启用
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <RequestsCard requests={requests} onDecided={load} />
      <AddUserCard
        onAdded={(u) => {
          setUsers((list) => [...(list ?? []), u]);
          message.success(`已新增账号：${u.display_name}（${u.username}）`);
        }}
      />
      {resetting && (
        <PasswordModal
          user={resetting}
          onClose={(done) => {
            if (done) message.success(`已为 ${resetting.display_name} 设置新密码`);
            setResetting(null);
          }}
        />
      )}
      {editing && (
        <RolesModal
          user={editing}
          pending={editing.pending_roles}
          onChange={(u) => {
            replace(u);
            // A grant that needs a second person became a request: show it.
            api.roleRequests().then(setRequests, (e) => setError(errorMessage(e)));
          }}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
