// The sync screen: honest numbers, "sync now" with its outcome, enrollment, and errors in Chinese.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ConflictItem, SyncStatus } from "../bindings";
import { fakeInvoke, reject } from "../test/fixtures";
import { renderScreen } from "../test/nav";
import { SyncScreen } from "./SyncScreen";

const STATUS: SyncStatus = {
  device_id: "dev-1",
  office_code: "530102",
  enrolled: true,
  hub_url: "http://127.0.0.1:8443",
  pending: 12,
  acked_seq: 30,
  head_seq: 42,
  feed_cursor: 7,
  last_success: "2026-11-20 17:00",
  last_attempt: "2026-11-21 09:00",
  last_error: "无法连接省级平台（网络不通或平台未运行）。",
  rejected: 0,
  open_conflicts: 1,
  blocked: null,
  blobs: { missing: 0, missing_bytes: 0, received_bytes: 0 },
  clock_alarm: null,
  held_events: 0,
};

const CONFLICT: ConflictItem = {
  event_id: "e-9",
  complaint_id: "c-1",
  number: "530102-2026-00001",
  summary: "反映某局长问题",
  step: "已报送或转送（2026-09-28）",
  office: "五华区纪委监委",
  actor: "李信访",
  time: "2026-09-28 10:00",
  status: "open",
  resolution: null,
  note: null,
  can_resolve: true,
};

describe("SyncScreen", () => {
  it("says in plain words which files are in transit, which record blocks the uploads and whose clock is wrong", async () => {
    const { api } = fakeInvoke({
      sync_status: () => ({
        ...STATUS,
        blocked: {
          record: "检举控告 530102-2025-00002的登记",
          reason: "这条记录有 16.0 MB，超过同步一次能传送的 15 MB。请联系系统管理员处理。",
          size: 16 * 1024 * 1024,
          limit: 15 * 1024 * 1024,
          waiting: 3,
          seq: 41,
        },
        blobs: { missing: 2, missing_bytes: 3 * 1024 * 1024, received_bytes: 1024 * 1024 },
        clock_alarm: "盘龙区纪委监委的一台设备发来的 5 条记录的时间比本机快约 3 天，暂缓接收，到时会自动接收。",
        held_events: 5,
      }),
      sync_conflicts: () => [],
    });
    renderScreen(<SyncScreen />, api);
    expect(await screen.findByTestId("sync-blocked")).toHaveTextContent("有一条记录无法上传：检举控告 530102-2025-00002的登记");
    expect(screen.getByTestId("sync-blocked")).toHaveTextContent("其后还有 3 条记录在等待上传");
    expect(screen.getByTestId("sync-blobs")).toHaveTextContent("附件传输中：还有 2 个附件或证明材料（共约 3.0 MB）");
    expect(screen.getByTestId("sync-blobs")).toHaveTextContent("已收到 1.0 MB");
    expect(screen.getByTestId("sync-clock")).toHaveTextContent("盘龙区纪委监委的一台设备");
    // No ids or codes on the officer's screen.
    expect(screen.getByTestId("sync-alerts").textContent).not.toMatch(/seq|sha256|[0-9a-f]{16}/);
  });

  it("shows no alerts when sync has nothing to say", async () => {
    const { api } = fakeInvoke({ sync_status: () => STATUS, sync_conflicts: () => [] });
    renderScreen(<SyncScreen />, api);
    expect(await screen.findByTestId("sync-status")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-alerts")).toBeNull();
  });

  it("lists conflicts in words and lets the leader settle one, keeping the dialog on refusal", async () => {
    let refuse = true;
    const { api, invoke } = fakeInvoke({
      sync_status: () => STATUS,
      sync_conflicts: () => [CONFLICT],
      conflict_resolve: () =>
        refuse
          ? reject("invalid", "此件已移交 昆明市纪委监委（530100）办理，本单位不能再办理这一步。")
          : [{ ...CONFLICT, status: "resolved", resolution: "dismissed", note: "已由本级重新办理", can_resolve: false }],
    });
    renderScreen(<SyncScreen />, api);
    expect(await screen.findByTestId("conflicts-card")).toHaveTextContent("已报送或转送（2026-09-28）");
    fireEvent.click(screen.getByTestId("settle-e-9"));
    fireEvent.change(screen.getByTestId("settle-note"), { target: { value: "已由本级重新办理" } });
    fireEvent.click(screen.getByTestId("settle-dismissed"));
    expect(await screen.findByText(/本单位不能再办理这一步/)).toBeInTheDocument();
    expect(screen.getByTestId("settle-note")).toHaveValue("已由本级重新办理");
    refuse = false;
    fireEvent.click(screen.getByTestId("settle-dismissed"));
    await waitFor(() => expect(screen.getByTestId("conflicts-card")).toHaveTextContent("不予采纳"));
    expect(invoke).toHaveBeenCalledWith("conflict_resolve", {
      eventId: "e-9",
      resolution: "dismissed",
      note: "已由本级重新办理",
    });
  });

  it("tells an administrator how many conflicts wait and who settles them, without reading case steps", async () => {
    const { api, invoke } = fakeInvoke({ sync_status: () => ({ ...STATUS, open_conflicts: 2 }) });
    renderScreen(<SyncScreen handlesCases={false} />, api);
    expect(await screen.findByTestId("conflicts-elsewhere")).toHaveTextContent("有 2 件冲突待处理，须由办理该案件机关的分管领导");
    expect(screen.queryByTestId("conflicts-card")).toBeNull();
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain("sync_conflicts");
  });

  it("shows pending work, the last error and conflicts, and syncs on request", async () => {
    let status = STATUS;
    const { api, invoke } = fakeInvoke({
      sync_status: () => status,
      sync_conflicts: () => [],
      sync_now: () => {
        status = { ...STATUS, pending: 0, last_error: null };
        return {
          uploaded_events: 12,
          changesets_accepted: 1,
          changesets_rejected: 0,
          rejections: [],
          downloaded_events: 3,
          applied_events: 3,
          conflicts: 0,
          resealed: 0,
          released_handovers: 0,
        };
      },
    });
    renderScreen(<SyncScreen />, api);
    expect(await screen.findByTestId("sync-pending")).toHaveTextContent("12");
    expect(screen.getByTestId("sync-last-error")).toHaveTextContent("无法连接省级平台");
    expect(screen.getByText("1 件")).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("sync-now"));
    expect(await screen.findByTestId("sync-notice")).toHaveTextContent("送出办理记录 12 条，收到 3 条");
    // No developer words: no device number, no events or change sets.
    expect(screen.getByTestId("page-sync").textContent).not.toMatch(/dev-1|事件|变更集|设备编号|qingfeng/);
    await waitFor(() => expect(screen.getByTestId("sync-pending")).toHaveTextContent("0"));
    expect(invoke).toHaveBeenCalledWith("sync_now", undefined);
  });

  it("offers enrollment when not enrolled and shows the hub's refusal", async () => {
    const { api, invoke } = fakeInvoke({
      sync_status: () => ({ ...STATUS, enrolled: false, hub_url: null, last_error: null }),
      sync_conflicts: () => [],
      sync_enroll: () => reject("sync", "省级平台拒绝了请求：登记口令无效或已用过，请向省级中心管理员重新索取。"),
    });
    renderScreen(<SyncScreen />, api);
    expect(await screen.findByTestId("sync-now")).toBeDisabled();
    fireEvent.change(screen.getByTestId("sync-hub-url"), { target: { value: "http://127.0.0.1:8443" } });
    fireEvent.change(screen.getByTestId("sync-token"), { target: { value: "abc" } });
    fireEvent.click(screen.getByTestId("sync-enroll"));
    expect(await screen.findByTestId("sync-error")).toHaveTextContent("登记口令无效");
    expect(invoke).toHaveBeenCalledWith("sync_enroll", { hubUrl: "http://127.0.0.1:8443", token: "abc" });
  });

  it("enrolls offline: saves the request file and installs the certificate through the dialogs", async () => {
    let enrolled = false;
    const { api, invoke } = fakeInvoke({
      sync_status: () => ({ ...STATUS, enrolled, hub_url: null, last_error: null }),
      sync_conflicts: () => [],
      enrollment_request_save: () => "/media/usb/530102-登记申请.qfreq",
      enrollment_certificate_install: () => {
        enrolled = true;
        return { ...STATUS, enrolled: true };
      },
    });
    renderScreen(<SyncScreen />, api);
    fireEvent.click(await screen.findByTestId("enroll-request-save"));
    expect(await screen.findByTestId("sync-notice")).toHaveTextContent("已保存登记申请文件：/media/usb/530102-登记申请.qfreq");
    fireEvent.click(screen.getByTestId("enroll-certificate"));
    await waitFor(() => expect(screen.getByTestId("sync-notice")).toHaveTextContent("已导入证书，本机已登记到省级平台"));
    await waitFor(() => expect(screen.queryByTestId("enroll-card")).toBeNull());
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain("sync_enroll");
  });

  it("exports and imports USB bundles through the dialogs, and says nothing when one is cancelled", async () => {
    let picked: string | null = null;
    const report = { changesets: 2, events: 1812, receipts: 2, applied_events: 5, conflicts: 0 };
    const { api, invoke } = fakeInvoke({
      sync_status: () => STATUS,
      sync_conflicts: () => [],
      bundle_pick_save: () => picked,
      bundle_pick_open: () => "/media/usb/回执.qfb",
      bundle_export: () => report,
      bundle_import: () => ({ ...report, events: 7 }),
    });
    renderScreen(<SyncScreen />, api);
    fireEvent.click(await screen.findByTestId("bundle-export"));
    await waitFor(() => expect(invoke.mock.calls.map((c) => c[0])).toContain("bundle_pick_save"));
    await waitFor(() => expect(screen.getByTestId("bundle-export")).not.toBeDisabled());
    expect(screen.queryByTestId("sync-notice")).toBeNull();
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain("bundle_export");
    picked = "/media/usb/530102-2026-12-07.qfb";
    fireEvent.click(screen.getByTestId("bundle-export"));
    expect(await screen.findByTestId("sync-notice")).toHaveTextContent("已导出同步包（办理记录 1812 条）到 /media/usb/530102-2026-12-07.qfb");
    expect(invoke).toHaveBeenCalledWith("bundle_export", { path: "/media/usb/530102-2026-12-07.qfb" });
    fireEvent.click(screen.getByTestId("bundle-import"));
    await waitFor(() => expect(screen.getByTestId("sync-notice")).toHaveTextContent("送来办理记录 7 条（本机新增 5 条）"));
    expect(invoke).toHaveBeenCalledWith("bundle_import", { path: "/media/usb/回执.qfb" });
  });
});
