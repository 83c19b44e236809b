import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { HomeView } from "../bindings";
import { HOME, SESSION, fakeInvoke, reject } from "../test/fixtures";
import { renderWithApi } from "../test/render";
import { HomeScreen } from "./HomeScreen";

function setup(home: () => HomeView = () => HOME, logout: () => null = () => null) {
  const { invoke, api } = fakeInvoke({ home, logout });
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
    expect(screen.getByText("检举控告、处分决定执行、资料袋等功能将在后续版本开放。")).toBeInTheDocument();
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
});
