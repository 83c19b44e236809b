import {
  AlertOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BookOutlined,
  FileDoneOutlined,
  FundOutlined,
  ImportOutlined,
  UnorderedListOutlined,
  WarningOutlined,
  BarChartOutlined,
  CloudSyncOutlined,
  FileSearchOutlined,
  FormOutlined,
  FileTextOutlined,
  SafetyCertificateOutlined,
  MailOutlined,
  SafetyOutlined,
  SnippetsOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import { Alert, Badge, Button, Card, Col, Descriptions, Layout, Menu, Row, Skeleton, Space, Tag, Typography } from "antd";
import type { DescriptionsProps } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { errorMessage, useApi } from "../api";
import type { HomeView, RoleGrant, SessionView, TodayView, Worklist } from "../bindings";
import {
  CASE_ROLES,
  PROVISIONAL_CALENDAR_LABEL,
  REST_DAY_LABEL,
  ROLE_ORDER,
  WORKING_DAY_LABEL,
  formatChineseDate,
  officeLevelLabel,
  roleLabel,
} from "../labels";
import { ComplaintListScreen } from "./complaints/ComplaintListScreen";
import { ComplaintPage } from "./complaints/ComplaintPage";
import { DashboardScreen } from "./complaints/DashboardScreen";
import { WorklistCard } from "./desk/WorklistCard";
import { NavContext } from "./complaints/nav";
import { SyncScreen } from "./SyncScreen";
import { RegisterScreen } from "./complaints/RegisterScreen";
import type { ListState } from "./complaints/ComplaintListScreen";
import { StatsScreen } from "./stats/StatsScreen";
import { AnalysisScreen } from "./analysis/AnalysisScreen";
import { BoardScreen } from "./penalty/BoardScreen";
import { FlagsScreen } from "./penalty/FlagsScreen";
import { PenaltyPage } from "./penalty/PenaltyPage";
import { PenaltyStatsScreen } from "./penalty/PenaltyStatsScreen";
import { PersonPage } from "./penalty/PersonPage";
import { RectificationPage } from "./penalty/RectificationPage";
import { RegisterPenaltyScreen } from "./penalty/RegisterPenaltyScreen";
import { RegisterRectificationScreen } from "./penalty/RegisterRectificationScreen";
import { ReviewQueueScreen } from "./penalty/ReviewQueueScreen";
import { DETAIL_PAGES, PenaltyNavContext } from "./penalty/nav";
import { IntegrityScreen } from "./integrity/IntegrityScreen";
import { SupervisionScreen } from "./supervision/SupervisionScreen";
import { LibraryScreen } from "./library/LibraryScreen";
import type { AnyRoute, PenaltyNav } from "./penalty/nav";
import { AccountsScreen } from "./admin/AccountsScreen";
import { MigrationScreen } from "./migration/MigrationScreen";
import type { StatsState } from "./stats/StatsScreen";
import { NoticeRegisterScreen } from "./notices/NoticeRegisterScreen";
import { TemplatesScreen } from "./notices/TemplatesScreen";
import { BackupScreen } from "./recovery/BackupScreen";
import { BackupWarning } from "./recovery/BackupWarning";

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

type Section = Exclude<AnyRoute["page"], "complaint" | "penalty" | "rectification" | "rectification-register" | "person">;

const MENU_ITEMS: Array<{ key: Section; label: string; icon: ReactNode; "data-testid": string }> = [
  { key: "inbox", label: "工作台", icon: <AppstoreOutlined />, "data-testid": "nav-inbox" },
  { key: "complaints", label: "检举控告", icon: <FileSearchOutlined />, "data-testid": "nav-complaints" },
  { key: "register", label: "登记", icon: <FormOutlined />, "data-testid": "nav-register" },
  { key: "dashboard", label: "期限看板", icon: <AlertOutlined />, "data-testid": "nav-dashboard" },
  { key: "stats", label: "统计分析", icon: <BarChartOutlined />, "data-testid": "nav-stats" },
  { key: "analysis", label: "综合分析", icon: <FundOutlined />, "data-testid": "nav-analysis" },
  { key: "penalty-board", label: "处分执行", icon: <FileDoneOutlined />, "data-testid": "nav-penalty-board" },
  { key: "penalty-register", label: "录入处分", icon: <FormOutlined />, "data-testid": "nav-penalty-register" },
  { key: "penalty-queue", label: "执行审核", icon: <AuditOutlined />, "data-testid": "nav-penalty-queue" },
  { key: "rectifications", label: "整改清单", icon: <UnorderedListOutlined />, "data-testid": "nav-rectifications" },
  { key: "penalty-flags", label: "影响期预警", icon: <WarningOutlined />, "data-testid": "nav-penalty-flags" },
  { key: "penalty-stats", label: "执行统计", icon: <FundOutlined />, "data-testid": "nav-penalty-stats" },
  { key: "integrity", label: "廉政档案", icon: <SafetyCertificateOutlined />, "data-testid": "nav-integrity" },
  { key: "letters", label: "监督建议", icon: <MailOutlined />, "data-testid": "nav-letters" },
  { key: "library", label: "资料袋", icon: <BookOutlined />, "data-testid": "nav-library" },
  { key: "notice-register", label: "发文登记", icon: <FileTextOutlined />, "data-testid": "nav-notice-register" },
  { key: "notice-templates", label: "文书模板", icon: <SnippetsOutlined />, "data-testid": "nav-notice-templates" },
  { key: "sync", label: "同步", icon: <CloudSyncOutlined />, "data-testid": "nav-sync" },
  { key: "backup", label: "备份与恢复", icon: <SafetyOutlined />, "data-testid": "nav-backup" },
  { key: "accounts", label: "账号管理", icon: <TeamOutlined />, "data-testid": "nav-accounts" },
  { key: "migration", label: "数据迁移", icon: <ImportOutlined />, "data-testid": "nav-migration" },
];

/** Entries only some posts use: entering a decision (case management, trial) and reviewing items
 * (trial; supervision reviews rectification lists). Every other business entry is for any post. */
const ENTRY_ROLES: Partial<Record<Section, string[]>> = {
  register: ["petitions"],
  // Importing enters records as their post would by hand: complaints by 信访室, penalty
  // decisions by case management or trial, rectification lists by supervision or case management.
  migration: ["petitions", "case_management", "trial", "supervision"],
  "penalty-register": ["case_management", "trial"],
  "penalty-queue": ["trial", "supervision"],
  integrity: ["supervision", "case_management", "leader"],
  // 监督检查室 handles the letters; the leader and case management read them and their statistics.
  letters: ["supervision", "case_management", "leader"],
};

/** The menu entries a user's posts make useful: registering is for petitions, case screens for any post. */
export function menuFor(roles: string[]): typeof MENU_ITEMS {
  const handlesCases = roles.some((r) => CASE_ROLES.has(r));
  return MENU_ITEMS.filter((m) => {
    // The library is for every post: officers read and cite it, the administrator imports into it.
    if (m.key === "inbox" || m.key === "sync" || m.key === "library") return true;
    // Backups and the recovery code are the administrator's.
    if (m.key === "backup") return roles.includes("admin");
    // Templates are kept by the administrator; officers may read them.
    if (m.key === "notice-templates") return handlesCases || roles.includes("admin");
    if (m.key === "accounts") return roles.includes("admin");
    const only = ENTRY_ROLES[m.key];
    return only ? only.some((r) => roles.includes(r)) : handlesCases;
  });
}

/** The office, the user and today: the first thing on 工作台. */
function HomeCards({ session, view }: { session: SessionView; view: HomeView | null }) {
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
    <Row gutter={[16, 16]} className="qf-home-cards">
      <Col span={8}>
        <Card title="本机关" size="small" className="qf-card">
          <Descriptions column={1} size="small" colon={false} styles={LABEL_STYLES} items={officeItems} />
        </Card>
      </Col>
      <Col span={8}>
        <Card title="当前用户" size="small" className="qf-card">
          <Descriptions column={1} size="small" colon={false} styles={LABEL_STYLES} items={userItems} />
        </Card>
      </Col>
      <Col span={8}>
        <Card title="今天" size="small" className="qf-card">
          {view ? <TodayBlock today={view.today} /> : <Skeleton active paragraph={{ rows: 2 }} title={false} />}
        </Card>
      </Col>
    </Row>
  );
}

/** After login: the side menu, the top bar and the page the menu points at. */
export function HomeScreen({ session, onLogout }: { session: SessionView; onLogout: () => void }) {
  const api = useApi();
  const [view, setView] = useState<HomeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const [reload, setReload] = useState(0);
  const [route, setRoute] = useState<AnyRoute>({ page: "inbox" });
  // Bumped on every navigation so that choosing the page one is on reloads it.
  const [visit, setVisit] = useState(0);
  const current = useRef<AnyRoute>(route);
  const history = useRef<AnyRoute[]>([]);
  const section = useRef<Section>("inbox");
  const [listState, setListState] = useState<ListState | null>(null);
  const [statsState, setStatsState] = useState<StatsState | null>(null);

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

  const nav = useMemo<Omit<PenaltyNav, "roles">>(() => {
    const show = (r: AnyRoute) => {
      current.current = r;
      if (!DETAIL_PAGES.has(r.page)) section.current = r.page as Section;
      setRoute(r);
      setVisit((n) => n + 1);
    };
    return {
      go: (r) => {
        // A page kept in history is read again when revisited, never shown from a stale copy.
        // (Without `initial`: a page kept in history is read again when revisited.)
        const c = current.current;
        history.current.push("id" in c ? ({ page: c.page, id: c.id } as AnyRoute) : c);
        if (history.current.length > 50) history.current.shift();
        show(r);
      },
      back: () => show(history.current.pop() ?? { page: "inbox" }),
    };
  }, []);

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
  const myRoles = user.grants.filter((g) => g.office_code === (view?.office ?? session.office).code).map((g) => g.role);
  const handlesCases = myRoles.some((r) => CASE_ROLES.has(r));
  // 工作台's counts on the menu: read again after every navigation (the work may have moved on),
  // and taken from the list itself whenever 工作台 loads it.
  const [desk, setDesk] = useState<Pick<Worklist, "total" | "red"> | null>(null);
  const onCounts = useCallback((l: Worklist) => setDesk({ total: l.total, red: l.red }), []);
  useEffect(() => {
    if (!handlesCases) return;
    let live = true;
    api.worklist({ kind: null, counts_only: true }).then(
      (l) => live && setDesk({ total: l.total, red: l.red }),
      () => {
        // The badge is a convenience; 工作台 itself says what went wrong.
      },
    );
    return () => {
      live = false;
    };
  }, [api, visit, handlesCases]);
  // Province regulations and templates that arrived since this officer last looked: a count on
  // 资料袋, read again after every navigation (looking at the library clears it).
  const [provinceNew, setProvinceNew] = useState(0);
  useEffect(() => {
    let live = true;
    api.provinceNewCount().then(
      (n) => live && setProvinceNew(n),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, visit]);
  const menu = menuFor(myRoles).map((m) =>
    m.key === "library" && provinceNew > 0
      ? {
          ...m,
          label: (
            <span className="qf-menu-with-count">
              {m.label}
              <Badge count={provinceNew} color="#1f5f8b" data-testid="nav-library-count" title={`省级新发布 ${provinceNew} 件`} />
            </span>
          ),
        }
      : m.key === "inbox" && desk
      ? {
          ...m,
          label: (
            <span className="qf-menu-with-count">
              {m.label}
              <Badge
                count={desk.total}
                overflowCount={999}
                color={desk.red > 0 ? "#cf1322" : "#1f5f8b"}
                data-testid="nav-inbox-count"
                title={desk.red > 0 ? `待办 ${desk.total} 项，其中已逾期 ${desk.red} 项` : `待办 ${desk.total} 项`}
              />
            </span>
          ),
        }
      : m,
  );
  const penaltyNav = useMemo<PenaltyNav>(() => ({ ...nav, roles: myRoles }), [nav, myRoles.join(",")]);

  let content: ReactNode;
  switch (route.page) {
    case "inbox":
      content = (
        <div className="qf-page" data-testid="page-inbox">
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
          {myRoles.includes("admin") && <BackupWarning onOpen={() => nav.go({ page: "backup" })} />}
          <HomeCards session={session} view={view} />
          {handlesCases ? (
            <WorklistCard onCounts={onCounts} />
          ) : (
            <Alert
              type="info"
              showIcon
              className="qf-home-alert"
              data-testid="home-admin-note"
              message="本账号为系统管理员，不办理检举控告。"
              description="在“账号管理”中新增账号、重置密码、授予或撤销岗位；在“同步”中把本机登记到省级平台。需要办理业务的同志请使用各自的业务账号登录。"
            />
          )}
        </div>
      );
      break;
    case "complaints":
      content = <ComplaintListScreen saved={listState} onSave={setListState} />;
      break;
    case "register":
      content = <RegisterScreen />;
      break;
    case "dashboard":
      content = <DashboardScreen />;
      break;
    case "stats":
      content = <StatsScreen saved={statsState} onSave={setStatsState} />;
      break;
    case "sync":
      content = <SyncScreen handlesCases={myRoles.some((r) => CASE_ROLES.has(r))} />;
      break;
    case "library":
      content = <LibraryScreen />;
      break;
    case "integrity":
      content = <IntegrityScreen />;
      break;
    case "analysis":
      content = <AnalysisScreen />;
      break;
    case "letters":
      content = <SupervisionScreen key={route.id ?? ""} letter={route.id ?? null} />;
      break;
    case "complaint":
      content = <ComplaintPage id={route.id} initial={route.initial} />;
      break;
    case "penalty-board":
      content = <BoardScreen scope="penalty" />;
      break;
    case "penalty-register":
      content = <RegisterPenaltyScreen />;
      break;
    case "penalty-queue":
      content = <ReviewQueueScreen />;
      break;
    case "rectifications":
      content = <BoardScreen scope="rectification" />;
      break;
    case "penalty-flags":
      content = <FlagsScreen />;
      break;
    case "penalty-stats":
      content = <PenaltyStatsScreen />;
      break;
    case "penalty":
      content = <PenaltyPage id={route.id} initial={route.initial} />;
      break;
    case "rectification":
      content = <RectificationPage id={route.id} initial={route.initial} />;
      break;
    case "rectification-register":
      content = <RegisterRectificationScreen />;
      break;
    case "person":
      content = <PersonPage name={route.name} unit={route.unit} />;
      break;
    case "notice-register":
      content = <NoticeRegisterScreen />;
      break;
    case "backup":
      content = <BackupScreen officeCode={office.code} onRestored={onLogout} />;
      break;
    case "accounts":
      content = <AccountsScreen />;
      break;
    case "migration":
      content = <MigrationScreen roles={myRoles} />;
      break;
    case "notice-templates":
      content = <TemplatesScreen canEdit={myRoles.includes("admin")} />;
      break;
  }

  return (
    <NavContext.Provider value={nav}>
      <PenaltyNavContext.Provider value={penaltyNav}>
      <Layout className="qf-home" data-testid="home" hasSider>
        <Layout.Sider width={176} theme="light" className="qf-sider">
          <div className="qf-sider-brand">
            <span className="qf-brand">清风</span>
          </div>
          <Menu
            mode="inline"
            className="qf-menu"
            selectedKeys={[DETAIL_PAGES.has(route.page) ? section.current : route.page]}
            items={menu}
            onClick={({ key }) => nav.go({ page: key as Section })}
          />
        </Layout.Sider>
        <Layout className="qf-main-layout">
          <Layout.Header className="qf-topbar">
            <div className="qf-topbar-left">
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
          <Layout.Content className="qf-main" key={visit}>
            {content}
          </Layout.Content>
        </Layout>
      </Layout>
      </PenaltyNavContext.Provider>
    </NavContext.Provider>
  );
}
