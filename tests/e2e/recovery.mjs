// Scenarios 6 and 7, a lost key is not lost work. "recovery": the key file of an office's database
// is gone (a lost keyring); the first screen offers the recovery code, which opens the database
// again; the administrator sees the last good backup on 工作台, backs up now from 备份与恢复 and
// replaces the code. "restore": a wiped machine (database and key deleted) is restored in the
// window from a backup with the recovery code, and the office's accounts work again.

import fs from "node:fs";
import path from "node:path";
import { cliOk, dbArgs } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";

/** Sets up the office with the command line and returns its recovery code; makes one backup. */
async function officeWithBackup(ctx) {
  const made = JSON.parse(
    await cliOk(
      [...dbArgs(ctx), "init", "--office-code", "530102", "--office-name", "五华区纪委监委", "--parent", "530100", "--admin-name", "张管理", "--password-stdin", "--json"],
      { input: `${ADMIN_PASSWORD}\n` },
    ),
  );
  ctx.code = made.recovery.recovery_code;
  ctx.usb = path.join(ctx.tmp, "U盘");
  fs.mkdirSync(ctx.usb);
  await cliOk([...dbArgs(ctx), "backup", "config", "--dir", ctx.usb, "--as", "admin"], { password: ADMIN_PASSWORD });
  ctx.backup = JSON.parse(await cliOk([...dbArgs(ctx), "backup", "run", "--json"])).file;
}

const backups = (ctx) => fs.readdirSync(ctx.usb).filter((n) => n.endsWith(".qfbak"));


export const recovery = {
  name: "recovery",

  before: (ctx) => [
    ["an office with its recovery code and a backup", () => officeWithBackup(ctx)],
    ["its key file is lost", async () => fs.rmSync(ctx.keyFile)],
  ],

  steps: (app, ctx) => [
    ["the first screen says the key is lost and offers the recovery code", async () => {
      await app.find("restore-key-missing", 30_000);
      await app.find("unlock-code");
      await app.shots("recovery-key-missing");
    }],
    ["a mistyped code is refused with the group to check", async () => {
      const digits = ctx.code.split("");
      digits[15] = digits[15] === "1" ? "2" : "1";
      await app.typeInto("unlock-code", digits.join(""));
      await app.click("unlock-submit");
      await app.expectText("unlock-error", "第 3 组有误");
      if (fs.existsSync(ctx.keyFile)) throw new Error("a mistyped code wrote a key file");
    }],
    ["the right code opens the database and the administrator logs in", async () => {
      await app.typeInto("unlock-code", ctx.code);
      await app.click("unlock-submit");
      await app.login("admin", ADMIN_PASSWORD, "张管理");
      if ((fs.statSync(ctx.keyFile).mode & 0o777) !== 0o600) throw new Error("the key file put back is not 0600");
    }],
    ["工作台 shows when the last good backup was made", async () => {
      await app.expectText("backup-ok", "上次成功备份");
      await app.shots("recovery-home");
    }],
    ["备份与恢复 shows the backup and backs up now", async () => {
      await app.click("nav-backup");
      await app.expectText("backup-last", "（今天）");
      await app.shots("recovery-backup-page");
      await app.click("backup-now");
      await app.expectText("backup-notice", "已试恢复校验无误");
      if (backups(ctx).length !== 2) throw new Error(`expected 2 backups in the folder, found ${backups(ctx).length}`);
    }],
    ["replacing the recovery code shows the new one once", async () => {
      await app.click("recovery-replace");
      await app.click("recovery-replace-ok");
      await app.find("recovery-group-9");
      const first = await app.expectText("recovery-group-1", "");
      if (!/^\d{6}$/.test(first.trim())) throw new Error(`group 1 reads ${JSON.stringify(first)}`);
      await app.find("recovery-sheet-preview");
      await app.shots("recovery-new-code");
      await app.click("recovery-stored");
      await app.click("recovery-done");
      // 完成 first tells the program to forget the page, then closes the panel: wait for it.
      await app.waitGone("recovery-code-panel");
    }],
  ],

  after: () => [],
};

export const restore = {
  name: "restore",

  before: (ctx) => [
    ["an office with its recovery code and a backup", () => officeWithBackup(ctx)],
    ["the machine is wiped", async () => {
      for (const name of fs.readdirSync(ctx.tmp)) if (name.startsWith("e2e.")) fs.rmSync(path.join(ctx.tmp, name));
    }],
  ],

  steps: (app, ctx) => [
    ["a new machine offers to restore an existing office", async () => {
      await app.find("setup-restore", 30_000);
      await app.click("setup-restore");
      await app.find("restore-backup-form");
      await app.shots("restore-start");
    }],
    ["the backup is checked with the code and what would be lost is said first", async () => {
      await app.typeInto("restore-file", ctx.backup);
      await app.typeInto("restore-office", "530102");
      await app.typeInto("restore-code", ctx.code);
      await app.click("restore-check");
      await app.expectText("restore-notes", "无法恢复");
      await app.shots("restore-preview");
    }],
    ["the office is restored and its administrator logs in", async () => {
      await app.click("restore-start");
      await app.expectText("restore-done", "校验完好");
      await app.shots("restore-done");
      await app.click("restore-continue");
      await app.login("admin", ADMIN_PASSWORD, "张管理");
    }],
    ["the restored log verifies", async () => {
      const v = JSON.parse(await cliOk([...dbArgs(ctx), "events", "verify", "--json"]));
      if (!v.ok) throw new Error(JSON.stringify(v));
    }],
  ],

  after: () => [],
};
