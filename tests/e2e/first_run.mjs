// Scenario 1, the first run: a fresh database, the office and its administrator set up in the window,
// the recovery code shown once, logging out, a wrong password refused, logging in again.

import fs from "node:fs";
import path from "node:path";

const PASSWORD = "Qingfeng#2026";

// Home must show the office, the user and today's date; used after setup and after logging in again.
async function expectHome(app) {
  await app.find("home");
  await app.expectText("home-office-name", "五华区纪委监委");
  await app.expectText("home-user-name", "张管理");
  await app.expectText("home-roles", "系统管理员");
  const today = await app.expectText("home-today", "年");
  if (!today.includes("工作日") && !today.includes("休息日")) throw new Error(`home-today says neither 工作日 nor 休息日: ${JSON.stringify(today)}`);
}

export default {
  name: "first-run",

  // The program itself creates the database and the key file on first start.
  before: () => [],

  steps: (app, ctx) => [
    ["first-run setup screen appears", async () => {
      await app.find("setup-office-code", 30_000);
      const heading = await app.wait("the setup heading", () => app.wd("POST", "/element", { using: "css selector", value: "h3" }));
      const text = await app.textOf(Object.values(heading)[0]);
      if (!text.includes("建立本机关")) throw new Error(`heading is ${JSON.stringify(text)}`);
    }],
    ["setup form accepts the office and administrator", async () => {
      await app.typeInto("setup-office-code", "530102");
      await app.typeInto("setup-office-name", "五华区纪委监委");
      await app.typeInto("setup-parent-code", "530100");
      await app.typeInto("setup-admin-username", "admin");
      await app.typeInto("setup-admin-name", "张管理");
      await app.typeInto("setup-password", PASSWORD);
      await app.typeInto("setup-password-confirm", PASSWORD);
      await app.click("setup-submit");
    }],
    ["the recovery code is shown once, with its page, until it is in the safe", async () => {
      await app.find("recovery-group-9", 30_000);
      await app.find("recovery-sheet-preview");
      for (const [w, h] of [[1200, 800], [1920, 1080]]) {
        await app.setSize(w, h);
        await app.screenshot(`recovery-code-${w}x${h}.png`);
      }
      await app.setSize(1280, 860);
      await app.click("recovery-stored");
      await app.click("recovery-done");
    }],
    ["home shows office, administrator, roles and today after setup", async () => {
      await expectHome(app);
      await app.screenshot("home-after-setup.png");
    }],
    ["database and a 0600 key file are created on first run", async () => {
      const mode = fs.statSync(ctx.keyFile).mode & 0o777;
      if (mode !== 0o600) throw new Error(`key file mode is ${mode.toString(8)}, expected 600`);
      if (!fs.statSync(ctx.db).isFile()) throw new Error(`${path.basename(ctx.db)} is not a file`);
    }],
    ["logout returns to the login screen", async () => {
      await app.logout();
    }],
    ["wrong password is refused with a message", async () => {
      await app.typeInto("login-username", "admin");
      await app.typeInto("login-password", "wrong-password-1");
      await app.click("login-submit");
      await app.expectText("login-error", "账号或密码不正确");
      // The form is disabled while the attempt runs; the failure is only fully shown once it is enabled again.
      const username = await app.find("login-username");
      await app.wait("the login form to be enabled again", () => app.wd("GET", `/element/${username}/enabled`));
      await app.screenshot("login-wrong-password.png");
    }],
    ["right password logs in to the same home", async () => {
      await app.typeInto("login-username", "admin");
      await app.typeInto("login-password", PASSWORD);
      await app.click("login-submit");
      await expectHome(app);
      await app.screenshot("home.png");
    }],
    ["window title is 清风", async () => {
      const title = await app.wd("GET", "/title");
      if (title !== "清风") throw new Error(`title is ${JSON.stringify(title)}`);
    }],
  ],

  after: () => [],
};
