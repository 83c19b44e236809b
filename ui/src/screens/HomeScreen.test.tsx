import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { HomeView } from "../bindings";
import { DASHBOARD, DETAIL } from "../test/complaints";
import { WORKLIST } from "../test/desk";
import { HOME, SESSION, fakeInvoke, reject } from "../test/fixtures";
import { STATS } from "../test/stats";
import { renderWithApi } from "../test/render";
import { HomeScreen, menuFor } from "./HomeScreen";

function setup(
  home: () => HomeView = () => HOME,
  logout: () => null = () => null,
  more: Parameters<typeof fakeInvoke>[0] = {},
) {
  const { invoke, api } = fakeInvoke({ home, logout, worklist: () => WORKLIST, ...more });
  const onLogout = vi.fn();
  const user = userEvent.setup();
  renderWithApi(<HomeScreen session={SESSION} onLogout={onLogout} />, api);
  return { invoke, onLogout, user };
}

describe("HomeScreen", () => {
  it("shows the office, the user and the roles in Chinese", async () => {
    setup();
    expect(screen.getByTestId("home")).toBeInTheDocument();
    expect(screen.getByTestId("home-office-name")).toHaveTextContent("五华区纪委监委");
    expect(screen.getByTestId("home-user-name")).toHaveTextContent("张三");
    const roles = screen.getByTestId("home-roles");
    expect(within(roles).getByText("系统管理员")).toBeInTheDocument();
    expect(within(roles).getByText("案件监督管理室")).toBeInTheDocument();
    expect(roles).not.toHaveTextContent("case_management");
    expect(screen.getByText("530102")).toBeInTheDocument();
    expect(screen.getByText("县级")).toBeInTheDocument();
    expect(screen.getByText("530100")).toBeInTheDocument();
    expect(screen.getByTestId("nav-library")).toHaveTextContent("资料袋");
  });

  it("shows today as a Chinese date with a green working-day tag", async () => {
    setup();
    const today = await screen.findByTestId("home-today");
    expect(today).toHaveTextContent("2026年11月20日 星期五");
    const tag = within(today).getByText("工作日");
    expect(tag.className).toMatch(/ant-tag-green/);
    expect(today).not.toHaveTextContent("休息日");
    expect(today).not.toHaveTextContent("日历未收录该年");
  });

  it("shows a rest day with its note and the provisional-calendar warning", async () => {
    setup(() => ({
      ...HOME,
      today: { date: "2031-10-01", weekday: 3, working_day: false, provisional: true, note: "国庆节" },
    }));
    const today = await screen.findByTestId("home-today");
    expect(today).toHaveTextContent("2031年10月1日 星期三");
    const tag = within(today).getByText("休息日");
    expect(tag.className).not.toMatch(/ant-tag-green/);
    expect(today).toHaveTextContent("国庆节");
    expect(within(today).getByText("日历未收录该年，仅按周末推算").className).toMatch(/ant-tag-warning/);
  });

  it("logs out through the logout command", async () => {
    const { invoke, onLogout, user } = setup();
    await screen.findByTestId("home-today");
    await user.click(screen.getByTestId("logout"));
    await waitFor(() => expect(onLogout).toHaveBeenCalledTimes(1));
    expect(invoke).toHaveBeenCalledWith("logout", undefined);
  });

  it("still returns to login when logout fails", async () => {
    const { onLogout, user } = setup(undefined, () => reject("no_session", "未登录"));
    await user.click(screen.getByTestId("logout"));
    await waitFor(() => expect(onLogout).toHaveBeenCalledTimes(1));
  });

  it("shows the message when home cannot be loaded", async () => {
    setup(() => reject("session_expired", "登录已失效，请重新登录"));
    expect(await screen.findByText("登录已失效，请重新登录")).toBeInTheDocument();
    expect(screen.getByTestId("home-office-name")).toHaveTextContent("五华区纪委监委");
  });

  it("lists the to-do list most urgent first with its lights in words and opens a complaint from a row", async () => {
    const { invoke } = setup(undefined, undefined, { complaint_show: () => DETAIL });
    const rows = await screen.findAllByTestId("inbox-row");
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveTextContent("督办：监督检查室的函询回复已逾期");
    expect(within(rows[0]!).getByText("已逾期 8 个工作日").className).toMatch(/ant-tag-red/);
    expect(rows[1]).toHaveTextContent("530102-2026-00001");
    expect(rows[1]).toHaveTextContent("信访室");
    expect(rows[1]).toHaveTextContent("受理告知2026-11-23 到期");
    expect(within(rows[1]!).getByText("2 个工作日内到期").className).toMatch(/ant-tag-gold/);
    // The menu shows the count, in red while something is overdue.
    expect(await screen.findByTestId("nav-inbox-count")).toHaveTextContent("4");
    fireEvent.click(rows[1]!);
    expect(await screen.findByTestId("complaint-number")).toHaveTextContent("530102-2026-00001");
    expect(invoke).toHaveBeenCalledWith("complaint_show", { id: "c-1" });
  });

  it("switches pages from the side menu", async () => {
    const { invoke } = setup(undefined, undefined, {
      dashboard: () => DASHBOARD,
      complaint_page: () => ({ rows: [], total: 0, limit: 200 }),
      statistics: () => STATS,
    });
    fireEvent.click(screen.getByTestId("nav-dashboard"));
    expect(await screen.findByTestId("dash-red")).toHaveTextContent("1");
    fireEvent.click(screen.getByTestId("nav-stats"));
    expect(await screen.findByTestId("stats-total")).toHaveTextContent("42");
    expect(invoke).toHaveBeenCalledWith("statistics", { filter: { from: null, to: null } });
    fireEvent.click(screen.getByTestId("nav-complaints"));
    expect(await screen.findByTestId("page-complaints")).toBeInTheDocument();
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("complaint_page", expect.anything()));
    // 案件监督管理室 supervises but does not register complaints: no 登记 entry.
    expect(screen.queryByTestId("nav-register")).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId("nav-inbox"));
    expect(await screen.findByTestId("home-today")).toBeInTheDocument();
  });

  it("offers each post only the screens it can use", () => {
    const keys = (roles: string[]) => menuFor(roles).map((m) => m.key);
    // Sync is every post's concern: anyone signed in may see its state and sync now. The library
    // is too: officers read and cite it, the administrator imports into it. The administrator
    // keeps the notice templates and the accounts; every post reads the register of notices.
    // Backups and the recovery code are the administrator's alone.
    expect(keys(["admin"])).toEqual(["inbox", "library", "notice-templates", "sync", "backup", "accounts"]);
    const penalty = ["penalty-board", "rectifications", "penalty-flags", "penalty-stats"];
    const notices = ["notice-register", "notice-templates"];
    expect(keys(["petitions"])).toEqual([
      "inbox",
      "complaints",
      "register",
      "dashboard",
      "stats",
      "analysis",
      ...penalty,
      "library",
      ...notices,
      "sync",
      // 数据迁移 enters complaints as registered by 信访室.
      "migration",
    ]);
    // Supervision reviews rectification lists and keeps the integrity files; only case management
    // and trial enter decisions.
    expect(keys(["supervision"])).toEqual([
      "inbox",
      "complaints",
      "dashboard",
      "stats",
      "analysis",
      "penalty-board",
      "penalty-queue",
      "rectifications",
      "penalty-flags",
      "penalty-stats",
      "integrity",
      "letters",
      "library",
      ...notices,
      "sync",
      // Supervision imports the older platform's rectification lists.
      "migration",
    ]);
    expect(keys(["trial"])).toContain("penalty-register");
    expect(keys(["trial"])).toContain("penalty-queue");
    expect(keys(["case_management"])).toContain("penalty-register");
    expect(keys(["case_management"])).not.toContain("penalty-queue");
    // Penalty decisions are imported by the posts that enter them.
    expect(keys(["trial"])).toContain("migration");
    expect(keys(["case_management"])).toContain("migration");
    expect(keys(["investigation"])).not.toContain("migration");
  });
});
