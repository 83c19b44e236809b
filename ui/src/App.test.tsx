import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { describe, expect, it } from "vitest";
import App from "./App";
import { HOME, SESSION, STATUS_NEW, STATUS_READY, fakeInvoke, reject } from "./test/fixtures";
import { RECOVERY_CODE } from "./test/recovery";

function callsOf(invoke: { mock: { calls: unknown[][] } }, cmd: string) {
  return invoke.mock.calls.filter((c) => c[0] === cmd);
}

const base = { mark_ready: () => null, home: () => HOME, logout: () => null, inbox: () => [] };

describe("App shell", () => {
  it("shows the setup screen when the office is not initialized, and marks ready once", async () => {
    const { invoke, api } = fakeInvoke({ ...base, app_status: () => STATUS_NEW });
    render(
      <StrictMode>
        <App api={api} />
      </StrictMode>,
    );
    expect(await screen.findByText("首次使用：建立本机关")).toBeInTheDocument();
    expect(screen.queryByTestId("login-username")).not.toBeInTheDocument();
    await waitFor(() => expect(callsOf(invoke, "mark_ready")).toHaveLength(1));
    expect(callsOf(invoke, "mark_ready")).toHaveLength(1);
  });

  it("shows the login screen with the office name when initialized", async () => {
    const { invoke, api } = fakeInvoke({ ...base, app_status: () => STATUS_READY });
    render(<App api={api} />);
    expect(await screen.findByTestId("login-username")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "五华区纪委监委" })).toBeInTheDocument();
    expect(screen.queryByText("首次使用：建立本机关")).not.toBeInTheDocument();
    await waitFor(() => expect(callsOf(invoke, "mark_ready")).toHaveLength(1));
  });

  it("does not mind mark_ready failing", async () => {
    const { api } = fakeInvoke({
      ...base,
      app_status: () => STATUS_READY,
      mark_ready: () => reject("x", "y"),
    });
    render(<App api={api} />);
    expect(await screen.findByTestId("login-username")).toBeInTheDocument();
  });

  it("goes login → home → login", async () => {
    const { invoke, api } = fakeInvoke({ ...base, app_status: () => STATUS_READY, login: () => SESSION });
    const user = userEvent.setup();
    render(<App api={api} />);
    await user.type(await screen.findByTestId("login-username"), "admin");
    await user.type(screen.getByTestId("login-password"), "password1{Enter}");
    expect(await screen.findByTestId("home")).toBeInTheDocument();
    expect(await screen.findByTestId("home-today")).toBeInTheDocument();
    await user.click(screen.getByTestId("logout"));
    expect(await screen.findByTestId("login-username")).toBeInTheDocument();
    expect(callsOf(invoke, "mark_ready")).toHaveLength(1);
  });

  it("goes from setup to the recovery code shown once, then home, and logout shows login with the new office", async () => {
    const { invoke, api } = fakeInvoke({
      ...base,
      app_status: () => STATUS_NEW,
      setup_office: () => SESSION,
      recovery_make: () => RECOVERY_CODE,
      recovery_sheet_forget: () => null,
      recovery_status: () => reject("forbidden", "无权"),
    });
    const user = userEvent.setup();
    render(<App api={api} />);
    const fill = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
    await screen.findByTestId("setup-office-code");
    fill("setup-office-code", "530102");
    fill("setup-office-name", "五华区纪委监委");
    fill("setup-admin-username", "admin");
    fill("setup-admin-name", "张三");
    fill("setup-password", "password1");
    fill("setup-password-confirm", "password1");
    await user.click(screen.getByTestId("setup-submit"));
    // The code is made once and shown; the administrator must say it is in the safe to go on.
    expect(await screen.findByTestId("recovery-group-9")).toHaveTextContent("000011");
    expect(callsOf(invoke, "recovery_make")).toEqual([["recovery_make", { replace: false }]]);
    expect(screen.getByTestId("recovery-done")).toBeDisabled();
    await user.click(screen.getByTestId("recovery-stored"));
    await user.click(screen.getByTestId("recovery-done"));
    expect(await screen.findByTestId("home")).toBeInTheDocument();
    expect(callsOf(invoke, "recovery_sheet_forget")).toHaveLength(1);
    await user.click(screen.getByTestId("logout"));
    expect(await screen.findByRole("heading", { name: "五华区纪委监委" })).toBeInTheDocument();
  });

  it("offers the recovery code when the database's key is lost, and opens it", async () => {
    let unlocked = false;
    const { invoke, api } = fakeInvoke({
      ...base,
      app_status: () => (unlocked ? STATUS_READY : reject("key_missing", "找不到数据库密钥")),
      startup_state: () => ({ open: false, initialized: false, key_missing: true, envelope: true, problem: "找不到数据库密钥" }),
      recovery_unlock: () => {
        unlocked = true;
        return null;
      },
    });
    const user = userEvent.setup();
    render(<App api={api} />);
    expect(await screen.findByTestId("restore-key-missing")).toBeInTheDocument();
    const code = "123453-000000-720885-010010-555555-300003-660660-111111-000011";
    fireEvent.change(screen.getByTestId("unlock-code"), { target: { value: code } });
    await user.click(screen.getByTestId("unlock-submit"));
    expect(await screen.findByTestId("login-username")).toBeInTheDocument();
    expect(callsOf(invoke, "recovery_unlock")).toEqual([["recovery_unlock", { code }]]);
  });

  it("explains when app_status fails", async () => {
    const { api } = fakeInvoke({ ...base, app_status: () => reject("db_open", "无法打开数据库文件") });
    render(<App api={api} />);
    expect(await screen.findByText("无法打开数据库文件")).toBeInTheDocument();
    expect(screen.getByText("无法读取本机状态")).toBeInTheDocument();
  });
});
