import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { SetupRequest } from "../bindings";
import { SESSION, fakeInvoke, reject } from "../test/fixtures";
import { renderWithApi } from "../test/render";
import { SetupScreen } from "./SetupScreen";

function setup(handlers: Parameters<typeof fakeInvoke>[0] = { setup_office: () => SESSION }) {
  const { invoke, api } = fakeInvoke(handlers);
  const onDone = vi.fn();
  const user = userEvent.setup();
  renderWithApi(<SetupScreen onDone={onDone} />, api);
  return { invoke, onDone, user };
}

async function fillValid(_user: unknown, overrides: Partial<Record<string, string>> = {}) {
  const values: Record<string, string> = {
    "setup-office-code": "530102",
    "setup-office-name": "五华区纪委监委",
    "setup-parent-code": "",
    "setup-admin-username": "admin",
    "setup-admin-name": "张三",
    "setup-password": "correct horse",
    "setup-password-confirm": "correct horse",
    ...overrides,
  };
  for (const [testId, value] of Object.entries(values)) {
    // fireEvent keeps antd fast under jsdom; LoginScreen's test types key by key.
    if (value) fireEvent.change(screen.getByTestId(testId), { target: { value } });
  }
}

describe("SetupScreen", () => {
  it("shows the heading and puts every test hook on a real input", () => {
    setup();
    expect(screen.getByText("首次使用：建立本机关")).toBeInTheDocument();
    for (const id of [
      "setup-office-code",
      "setup-office-name",
      "setup-parent-code",
      "setup-admin-username",
      "setup-admin-name",
      "setup-password",
      "setup-password-confirm",
    ]) {
      expect(screen.getByTestId(id).tagName).toBe("INPUT");
    }
    expect(screen.getByTestId("setup-password")).toHaveAttribute("type", "password");
    expect(screen.getByTestId("setup-password-confirm")).toHaveAttribute("type", "password");
    expect(screen.getByTestId("setup-office-level")).toHaveTextContent("县级");
    expect(screen.getByTestId("setup-submit")).toHaveTextContent("建立机关并登录");
  });

  it("rejects a code that is not 6 digits, a short password and a mismatched confirmation", async () => {
    const { invoke, user } = setup();
    await fillValid(user, {
      "setup-office-code": "5301",
      "setup-password": "short",
      "setup-password-confirm": "shorter",
    });
    await user.click(screen.getByTestId("setup-submit"));

    expect(await screen.findByText("请输入 6 位行政区划代码，如 530102")).toBeInTheDocument();
    expect(await screen.findByText("密码至少 8 位")).toBeInTheDocument();
    expect(await screen.findByText("两次输入的密码不一致")).toBeInTheDocument();
    expect(invoke).not.toHaveBeenCalled();
  });

  it("rejects letters in the office code and a malformed parent code", async () => {
    const { invoke, user } = setup();
    await fillValid(user, { "setup-office-code": "53010a", "setup-parent-code": "5301" });
    await user.click(screen.getByTestId("setup-submit"));
    expect(await screen.findByText("请输入 6 位行政区划代码，如 530102")).toBeInTheDocument();
    expect(await screen.findByText("上级机关代码应为 6 位行政区划代码，如 530100")).toBeInTheDocument();
    expect(invoke).not.toHaveBeenCalled();
  });

  it("flags a mismatch even when both passwords are long enough", async () => {
    const { invoke, user } = setup();
    await fillValid(user, { "setup-password": "password-one", "setup-password-confirm": "password-two" });
    await user.click(screen.getByTestId("setup-submit"));
    expect(await screen.findByText("两次输入的密码不一致")).toBeInTheDocument();
    expect(screen.queryByText("密码至少 8 位")).not.toBeInTheDocument();
    expect(invoke).not.toHaveBeenCalled();
  });

  it("sends the SetupRequest for a valid form (county by default, no parent) and reports the session", async () => {
    const { invoke, onDone, user } = setup();
    await fillValid(user, { "setup-admin-username": "admin " });
    await user.click(screen.getByTestId("setup-submit"));

    await waitFor(() => expect(onDone).toHaveBeenCalledWith(SESSION));
    const expected: SetupRequest = {
      office_code: "530102",
      office_name: "五华区纪委监委",
      office_level: "county",
      parent_code: null,
      admin_username: "admin",
      admin_display_name: "张三",
      admin_password: "correct horse",
    };
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith("setup_office", { req: expected });
  });

  it("sends the parent code when given", async () => {
    const { invoke, onDone, user } = setup();
    await fillValid(user, { "setup-parent-code": "530100" });
    await user.click(screen.getByTestId("setup-submit"));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const req = (invoke.mock.calls[0]?.[1] as { req: SetupRequest }).req;
    expect(req.parent_code).toBe("530100");
  });

  it("shows the server's Chinese message and does not leave the screen", async () => {
    const { onDone, user } = setup({ setup_office: () => reject("already_initialized", "本机已建立机关，不能重复初始化") });
    await fillValid(user);
    await user.click(screen.getByTestId("setup-submit"));
    expect(await screen.findByText("本机已建立机关，不能重复初始化")).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByTestId("setup-submit")).not.toBeDisabled();
  });
});
