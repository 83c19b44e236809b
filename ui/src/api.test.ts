import { describe, expect, it, vi } from "vitest";
import { ApiError, createApi, emptyFilter, errorMessage, toErrorView } from "./api";
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

  it("sends complaint commands with Tauri's argument names (approval_id → approvalId)", async () => {
    const invoke = vi.fn<InvokeFn>(async () => null);
    const api = createApi(invoke);
    const dated = { date: "2026-11-20", note: "" };
    await api.complaintList(emptyFilter());
    expect(invoke).toHaveBeenLastCalledWith("complaint_list", {
      filter: {
        status: null,
        channel: null,
        department: null,
        unit: null,
        received_from: null,
        received_to: null,
        overdue_only: false,
        text: null,
        limit: null,
      },
    });
    await api.approvalDecide("c-1", "a-1", false, "不同意");
    expect(invoke).toHaveBeenLastCalledWith("approval_decide", {
      id: "c-1",
      approvalId: "a-1",
      granted: false,
      comment: "不同意",
    });
    await api.complaintRequestApproval("c-1", { action: "return" }, "无实质内容");
    expect(invoke).toHaveBeenLastCalledWith("complaint_request_approval", {
      id: "c-1",
      request: { action: "return" },
      reason: "无实质内容",
    });
    await api.complaintRevealReporter("c-1", "告知受理");
    expect(invoke).toHaveBeenLastCalledWith("complaint_reveal_reporter", { id: "c-1", purpose: "告知受理" });
    await api.complaintShow("c-1");
    expect(invoke).toHaveBeenLastCalledWith("complaint_show", { id: "c-1" });
    const steps: Array<[string, (id: string) => Promise<unknown>]> = [
      ["complaint_notify_acceptance", (id) => api.complaintNotifyAcceptance(id, dated)],
      ["complaint_record_forwarded", (id) => api.complaintRecordForwarded(id, dated)],
      ["complaint_inquiry_reply", (id) => api.complaintInquiryReply(id, dated)],
      ["complaint_feedback", (id) => api.complaintFeedback(id, dated)],
    ];
    for (const [cmd, run] of steps) {
      await run("c-1");
      expect(invoke).toHaveBeenLastCalledWith(cmd, { id: "c-1", req: dated });
    }
    await api.inbox();
    expect(invoke).toHaveBeenLastCalledWith("inbox", undefined);
    await api.dashboard();
    expect(invoke).toHaveBeenLastCalledWith("dashboard", undefined);
  });

  it("sends the statistics commands with their argument names", async () => {
    const invoke = vi.fn<InvokeFn>(async () => null);
    const api = createApi(invoke);
    await api.statistics({ from: "2026-01-01", to: null });
    expect(invoke).toHaveBeenLastCalledWith("statistics", { filter: { from: "2026-01-01", to: null } });
    await api.unitSummary("住建局");
    expect(invoke).toHaveBeenLastCalledWith("unit_summary", { unit: "住建局" });
    await api.complaintExport({ ...emptyFilter(), received_to: "2026-06-30" }, "xlsx");
    expect(invoke).toHaveBeenLastCalledWith("complaint_export", {
      filter: { ...emptyFilter(), received_to: "2026-06-30" },
      format: "xlsx",
    });
  });
});
