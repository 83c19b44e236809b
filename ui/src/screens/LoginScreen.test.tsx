import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { OFFICE, SESSION, fakeInvoke, reject } from "../test/fixtures";
import { renderWithApi } from "../test/render";
import { LoginScreen } from "./LoginScreen";

function setup(handlers: Parameters<typeof fakeInvoke>[0]) {
  const { invoke, api } = fakeInvoke(handlers);
  const onDone = vi.fn();
  const user = userEvent.setup();
  renderWithApi(<LoginScreen office={OFFICE} onDone={onDone} />, api);
  return { invoke, onDone, user };
}

describe("LoginScreen", () => {
  it("shows the office name, focuses the account field and keeps hooks on real inputs", () => {
    setup({});
    expect(screen.getByRole("heading", { name: "五华区纪委监委" })).toBeInTheDocument();
    const username = screen.getByTestId("login-username");
    const password = screen.getByTestId("login-password");
    expect(username.tagName).toBe("INPUT");
    expect(password.tagName).toBe("INPUT");
    expect(password).toHaveAttribute("type", "password");
    expect(username).toHaveFocus();
    expect(screen.getByTestId("login-submit")).toHaveTextContent("登录");
    expect(screen.queryByTestId("login-error")).not.toBeInTheDocument();
  });

  it("calls login with the typed credentials when Enter is pressed", async () => {
    const { invoke, onDone, user } = setup({ login: () => SESSION });
    await user.type(screen.getByTestId("login-username"), "admin");
    await user.type(screen.getByTestId("login-password"), "s3cret-pw{Enter}");
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(SESSION));
    expect(invoke).toHaveBeenCalledWith("login", { req: { username: "admin", password: "s3cret-pw" } });
  });

  it("shows the Chinese message from a rejected login, clears the password and stays", async () => {
    const { invoke, onDone, user } = setup({ login: () => reject("bad_credentials", "账号或密码不正确") });
    await user.type(screen.getByTestId("login-username"), "admin");
    await user.type(screen.getByTestId("login-password"), "wrong-pw");
    await user.click(screen.getByTestId("login-submit"));

    const alert = await screen.findByTestId("login-error");
    expect(alert).toHaveTextContent("账号或密码不正确");
    expect(invoke).toHaveBeenCalledWith("login", { req: { username: "admin", password: "wrong-pw" } });
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByTestId("login-username")).toHaveValue("admin");
    expect(screen.getByTestId("login-password")).toHaveValue("");
    await waitFor(() => expect(screen.getByTestId("login-password")).toHaveFocus());
  });

  it("shows a generic Chinese message with the raw text when the error is not an ErrorView", async () => {
    const { user } = setup({
      login: () => {
        throw "command login not allowed";
      },
    });
    await user.type(screen.getByTestId("login-username"), "admin");
    await user.type(screen.getByTestId("login-password"), "whatever1{Enter}");
    const alert = await screen.findByTestId("login-error");
    expect(alert).toHaveTextContent("操作未能完成，发生意外错误：command login not allowed");
  });

  it("does not call login with empty fields", async () => {
    const { invoke, user } = setup({ login: () => SESSION });
    await user.click(screen.getByTestId("login-submit"));
    expect(await screen.findByText("请输入账号")).toBeInTheDocument();
    expect(await screen.findByText("请输入密码")).toBeInTheDocument();
    expect(invoke).not.toHaveBeenCalled();
  });
});
