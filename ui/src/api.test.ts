import { describe, expect, it, vi } from "vitest";
import { ApiError, createApi, errorMessage, toErrorView } from "./api";
import type { InvokeFn } from "./api";
import { SESSION } from "./test/fixtures";

describe("api", () => {
  it("passes requests to the commands under `req`", async () => {
    const invoke = vi.fn<InvokeFn>(async () => SESSION);
    const api = createApi(invoke);
    await api.login({ username: "a", password: "b" });
    expect(invoke).toHaveBeenLastCalledWith("login", { req: { username: "a", password: "b" } });
    await api.appStatus();
    expect(invoke).toHaveBeenLastCalledWith("app_status", undefined);
    await api.home();
    expect(invoke).toHaveBeenLastCalledWith("home", undefined);
    await api.logout();
    expect(invoke).toHaveBeenLastCalledWith("logout", undefined);
  });

  it("rethrows an ErrorView as ApiError with its message and code", async () => {
    const api = createApi(async () => {
      throw { code: "locked", message: "账号已锁定，请 15 分钟后再试" };
    });
    const err = await api.login({ username: "a", password: "b" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("locked");
    expect(errorMessage(err)).toBe("账号已锁定，请 15 分钟后再试");
  });

  it("turns anything else into a generic Chinese message carrying the raw text", () => {
    expect(toErrorView("boom").message).toBe("操作未能完成，发生意外错误：boom");
    expect(toErrorView(new Error("bad")).message).toBe("操作未能完成，发生意外错误：bad");
    expect(toErrorView({ weird: 1 }).message).toBe('操作未能完成，发生意外错误：{"weird":1}');
    expect(toErrorView(undefined).message).toBe("操作未能完成，发生意外错误：undefined");
    expect(toErrorView("").message).toBe("操作未能完成，发生意外错误。");
  });

  it("never throws from markReady", async () => {
    const api = createApi(async () => {
      throw "no such command";
    });
    await expect(api.markReady()).resolves.toBeUndefined();
  });
});
