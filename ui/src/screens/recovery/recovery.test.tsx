// The backup and recovery screens: the code shown once, a restore that asks before replacing
// newer work, the administrator's warning, and what each sends to the backend.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeInvoke, reject } from "../../test/fixtures";
import { CODE_TEXT, PREVIEW_OVER_NEWER, RECOVERY_CODE, STATUS_OLD_BACKUP } from "../../test/recovery";
import { renderWithApi } from "../../test/render";
import { BackupScreen } from "./BackupScreen";
import { BackupWarning } from "./BackupWarning";
import { RecoveryCodePanel } from "./RecoveryCodePanel";
import { RestoreFromBackup } from "./RestoreForms";

function callsOf(invoke: { mock: { calls: unknown[][] } }, cmd: string) {
  return invoke.mock.calls.filter((c) => c[0] === cmd);
}

describe("the recovery code", () => {
  it("is shown in nine groups, saved on request, and only left once it is in the safe", async () => {
    const { invoke, api } = fakeInvoke({ recovery_sheet_save: () => "/home/u/下载/清风恢复页.pdf", recovery_sheet_forget: () => null });
    const done = vi.fn();
    const user = userEvent.setup();
    renderWithApi(<RecoveryCodePanel view={RECOVERY_CODE} onDone={done} />, api);
    RECOVERY_CODE.groups.forEach((g, i) => expect(screen.getByTestId(`recovery-group-${i + 1}`)).toHaveTextContent(g));
    expect(screen.getByTestId("recovery-key-number")).toHaveTextContent("3F9A-1C2B-7D0E-4F56");
    await user.click(screen.getByTestId("recovery-save"));
    expect(await screen.findByTestId("recovery-notice")).toHaveTextContent("清风恢复页.pdf");
    expect(screen.getByTestId("recovery-done")).toBeDisabled();
    await user.click(screen.getByTestId("recovery-done"));
    expect(done).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("recovery-stored"));
    await user.click(screen.getByTestId("recovery-done"));
    await waitFor(() => expect(done).toHaveBeenCalledOnce());
    expect(callsOf(invoke, "recovery_sheet_forget")).toHaveLength(1);
  });
});

describe("restoring from a backup", () => {
  it("refuses a code with the wrong number of digits before asking the backend", async () => {
    const { invoke, api } = fakeInvoke({});
    const user = userEvent.setup();
    renderWithApi(<RestoreFromBackup onDone={vi.fn()} />, api);
    fireEvent.change(screen.getByTestId("restore-file"), { target: { value: "/media/U盘/a.qfbak" } });
    fireEvent.change(screen.getByTestId("restore-code"), { target: { value: "123453 000000" } });
    await user.click(screen.getByTestId("restore-check"));
    expect(await screen.findByTestId("restore-error")).toHaveTextContent("现在是 12 位");
    expect(invoke).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal of a mistyped code as it is", async () => {
    const { api } = fakeInvoke({
      restore_preview: () => reject("recovery_code_mistyped", "恢复码第 3 组有误（抄写或输入时错了数字）。"),
    });
    const user = userEvent.setup();
    renderWithApi(<RestoreFromBackup onDone={vi.fn()} />, api);
    fireEvent.change(screen.getByTestId("restore-file"), { target: { value: "/media/U盘/a.qfbak" } });
    fireEvent.change(screen.getByTestId("restore-code"), { target: { value: CODE_TEXT } });
    await user.click(screen.getByTestId("restore-check"));
    expect(await screen.findByTestId("restore-error")).toHaveTextContent("第 3 组有误");
    expect(screen.queryByTestId("restore-start")).not.toBeInTheDocument();
  });

  it("says what would be lost and asks before replacing a database with newer work", async () => {
    const { invoke, api } = fakeInvoke({
      restore_preview: () => PREVIEW_OVER_NEWER,
      restore_backup: () => ({
        office_code: "530102",
        office_name: "五华区纪委监委",
        db: "/x/q.db",
        events: 8124,
        device_id: "d-2",
        previous_device: "d-1",
        moved_aside: "/x/q.db.before-restore-20261119-093000",
        key_store: "系统钥匙串",
      }),
    });
    const done = vi.fn();
    const user = userEvent.setup();
    renderWithApi(<RestoreFromBackup onDone={done} officeCode="530102" />, api);
    fireEvent.change(screen.getByTestId("restore-file"), { target: { value: " /media/U盘/a.qfbak " } });
    fireEvent.change(screen.getByTestId("restore-code"), { target: { value: CODE_TEXT } });
    await user.click(screen.getByTestId("restore-check"));
    expect(await screen.findByTestId("restore-notes")).toHaveTextContent("77 个事件比这份备份新");
    expect(callsOf(invoke, "restore_preview")).toEqual([
      ["restore_preview", { file: "/media/U盘/a.qfbak", code: CODE_TEXT, office: "530102" }],
    ]);
    expect(screen.getByTestId("restore-start")).toBeDisabled();
    await user.click(screen.getByTestId("restore-confirm"));
    await user.click(screen.getByTestId("restore-start"));
    await waitFor(() => expect(done).toHaveBeenCalledOnce());
    expect(callsOf(invoke, "restore_backup")).toEqual([
      ["restore_backup", { file: "/media/U盘/a.qfbak", code: CODE_TEXT, office: "530102", confirmed: true }],
    ]);
  });
});

describe("backups for the administrator", () => {
  it("warns on the home screen when the last good backup is old", async () => {
    const { api } = fakeInvoke({ recovery_status: () => STATUS_OLD_BACKUP });
    const open = vi.fn();
    renderWithApi(<BackupWarning onOpen={open} />, api);
    expect(await screen.findByTestId("backup-warning")).toHaveTextContent("已有 9 天没有成功备份");
    fireEvent.click(screen.getByTestId("backup-warning-open"));
    expect(open).toHaveBeenCalledOnce();
  });

  it("shows when and how the last backup went, and backs up now", async () => {
    const { invoke, api } = fakeInvoke({
      recovery_status: () => STATUS_OLD_BACKUP,
      backup_list: () => [],
      backup_now: () => ({
        file: "/media/U盘/清风备份/清风备份-530102-20261119-100000.qfbak",
        backup_id: "b-2",
        office_code: "530102",
        created_at: "2026-11-19T02:00:00+00:00",
        bytes: 5_500_000,
        events: 8200,
        removed: [],
      }),
    });
    const user = userEvent.setup();
    renderWithApi(<BackupScreen officeCode="530102" onRestored={vi.fn()} />, api);
    expect(await screen.findByTestId("backup-last")).toHaveTextContent("2026年11月10日 08:30（9 天前）");
    expect(screen.getByTestId("backup-last-error")).toHaveTextContent("请先插好U盘");
    expect(screen.getByTestId("backup-warning-page")).toBeInTheDocument();
    await user.click(screen.getByTestId("backup-now"));
    expect(await screen.findByTestId("backup-notice")).toHaveTextContent("8200 条记录");
    expect(callsOf(invoke, "backup_now")).toHaveLength(1);
  });
});
