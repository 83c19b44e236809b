import { Alert, Button, Card, Col, Descriptions, Layout, Row, Skeleton, Space, Tag, Typography } from "antd";
import type { DescriptionsProps } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../api";
import type { HomeView, RoleGrant, SessionView, TodayView } from "../bindings";
import {
  PROVISIONAL_CALENDAR_LABEL,
  REST_DAY_LABEL,
  ROLE_ORDER,
  WORKING_DAY_LABEL,
  formatChineseDate,
  officeLevelLabel,
  roleLabel,
} from "../labels";

const LABEL_STYLES: DescriptionsProps["styles"] = { label: { width: 104 } };

function sortedGrants(grants: RoleGrant[]): RoleGrant[] {
  const rank = (g: RoleGrant) => {
    const i = ROLE_ORDER.indexOf(g.role);
    return i < 0 ? ROLE_ORDER.length : i;
  };
  return [...grants].sort((a, b) => rank(a) - rank(b) || a.office_code.localeCompare(b.office_code));
}

function RoleTags({ grants, officeCode }: { grants: RoleGrant[]; officeCode: string }) {
  if (grants.length === 0) {
    return <Typography.Text type="secondary">暂无授权</Typography.Text>;
  }
  return (
    <Space size={[0, 6]} wrap>
      {sortedGrants(grants).map((g) => (
        <Tag key={`${g.office_code}:${g.role}`} color={g.role === "admin" ? "blue" : g.role === "leader" ? "purple" : undefined}>
          {roleLabel(g.role)}
          {g.office_code !== officeCode ? `（${g.office_code}）` : ""}
        </Tag>
      ))}
    </Space>
  );
}

function TodayBlock({ today }: { today: TodayView }) {
  return (
    <div data-testid="home-today" className="qf-today">
      <div className="qf-today-date">{formatChineseDate(today.date, today.weekday)}</div>
      <Space size={[0, 6]} wrap className="qf-today-tags">
        {today.working_day ? (
          <Tag color="green" data-testid="home-today-kind">
            {WORKING_DAY_LABEL}
          </Tag>
        ) : (
          <Tag data-testid="home-today-kind">{REST_DAY_LABEL}</Tag>
        )}
        {today.provisional && <Tag color="warning">{PROVISIONAL_CALENDAR_LABEL}</Tag>}
      </Space>
      {today.note && (
        <Typography.Paragraph type="secondary" className="qf-today-note">
          {today.note}
        </Typography.Paragraph>
      )}
    </div>
  );
}

export function HomeScreen({ session, onLogout }: { session: SessionView; onLogout: () => void }) {
  const api = useApi();
  const [view, setView] = useState<HomeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    api.home().then(
      (v) => live && setView(v),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload]);

  async function logout() {
    setLoggingOut(true);
    try {
      await api.logout();
    } catch {
      // Whatever the backend says, the person asked to leave: show the login screen.
    }
    onLogout();
  }

  const office = view?.office ?? session.office;
  const user = view?.user ?? session.user;

  const officeItems: DescriptionsProps["items"] = [
    { key: "name", label: "名称", children: office.name },
    { key: "code", label: "行政区划代码", children: office.code },
    { key: "level", label: "层级", children: officeLevelLabel(office.level) },
    ...(office.parent_code ? [{ key: "parent", label: "上级机关代码", children: office.parent_code }] : []),
  ];
  const userItems: DescriptionsProps["items"] = [
    { key: "name", label: "姓名", children: user.display_name },
    { key: "username", label: "账号", children: user.username },
    {
      key: "roles",
      label: "角色",
      children: (
        <div data-testid="home-roles">
          <RoleTags grants={user.grants} officeCode={office.code} />
        </div>
      ),
    },
  ];

  return (
    <Layout className="qf-home" data-testid="home">
      <Layout.Header className="qf-topbar">
        <div className="qf-topbar-left">
          <span className="qf-brand">清风</span>
          <span className="qf-topbar-sep" aria-hidden="true" />
          <span className="qf-topbar-office" data-testid="home-office-name">
            {office.name}
          </span>
        </div>
        <div className="qf-topbar-right">
          <span className="qf-topbar-user" data-testid="home-user-name">
            {user.display_name}
          </span>
          <Button data-testid="logout" size="small" onClick={logout} loading={loggingOut}>
            退出登录
          </Button>
        </div>
      </Layout.Header>

      <Layout.Content className="qf-home-body">
        {error && (
          <Alert
            type="error"
            showIcon
            message={error}
            className="qf-home-alert"
            action={
              <Button size="small" onClick={() => setReload((n) => n + 1)}>
                重试
              </Button>
            }
          />
        )}
        <Row gutter={[16, 16]}>
          <Col xs={24} md={12} xl={8}>
            <Card title="本机关" className="qf-card">
              <Descriptions column={1} size="small" colon={false} styles={LABEL_STYLES} items={officeItems} />
            </Card>
          </Col>
          <Col xs={24} md={12} xl={8}>
            <Card title="当前用户" className="qf-card">
              <Descriptions column={1} size="small" colon={false} styles={LABEL_STYLES} items={userItems} />
            </Card>
          </Col>
          <Col xs={24} md={24} xl={8}>
            <Card title="今天" className="qf-card">
              {view ? <TodayBlock today={view.today} /> : <Skeleton active paragraph={{ rows: 2 }} title={false} />}
            </Card>
          </Col>
        </Row>
        <Typography.Paragraph type="secondary" className="qf-later-note">
          检举控告、处分决定执行、资料袋等功能将在后续版本开放。
        </Typography.Paragraph>
      </Layout.Content>
    </Layout>
  );
}
