// Scenario 4, the 同步 screen against a real hub: the hub (qingfeng-hub, its own SQLite file) serves
// on 127.0.0.1; the administrator enrolls the office with a one-time token from the screen, syncs, and
// sees nothing left to upload and the time of the last success. Then the hub is killed: 立即同步 says
// in Chinese that the hub cannot be reached, and the office's events stay where they were.
// Between the two, the prefecture hands the county a case with a scanned letter whose bytes have
// not reached the hub yet: the screen says 附件传输中 in words, at both window sizes, until the
// file arrives with the next sync. Then the county's petitions officer hands that case to its
// sibling 盘龙区 in the 平级移交 dialog, picking the office by name from a picker grouped by level
// (no typed code); the leader approves, the next sync hands it over, and the page says who has it.
// Then the hub publishes a province notice template: after a sync the menu counts it, 文书模板 shows
// it beside the office's own version, and the administrator adopts it as the office's next version.

import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { cli, cliOk, createOffice, sleep, REPO, runOk, HUB, hubCli, killHub, startHub } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = {
  xf: { name: "李信访", role: "petitions", password: "Xinfang#2026" },
  ld: { name: "王领导", role: "leader", password: "Lingdao#2026" },
};

/**
 * A link that carries events but no files: forwards every request to the hub except the blob
 * routes, which it answers 503, as a connection that drops large transfers would. Resolves with
 * its address; `ctx.link` closes it.
 */
function eventsOnlyLink(ctx) {
  const hub = new URL(ctx.hubUrl);
  const server = http.createServer((req, res) => {
    if (req.url.startsWith("/v1/blobs/")) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "链路中断" }));
      req.resume();
      return;
    }
    const upstream = http.request(
      { host: hub.hostname, port: hub.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  ctx.link = server;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/**
 * Picks an office in an OfficePicker by typing part of its name into the picker's search box and
 * clicking the one option left: what an officer does, never a typed code.
 */
async function pickByName(app, testId, name, code) {
  const root = await app.find(testId);
  await app.clickEl(root, testId);
  const input = await app.wd("POST", `/element/${root}/element`, { using: "css selector", value: "input" });
  await app.wd("POST", `/element/${Object.values(input)[0]}/value`, { text: name });
  // The drop-down fades in: until it has, the option is there but its text reads empty, so the
  // check waits for the name rather than reading once (a loaded machine read "" once).
  let option = null;
  let label = "";
  await app
    .wait(`the option for ${code} to read ${name}`, async () => {
      [option] = await app.shown(`option-${code}`);
      label = option ? (await app.textOf(option)).trim() : "";
      return label.includes(name);
    }, 5_000)
    .catch(() => {
      if (!option) throw new Error(`typing ${name} into ${testId} shows no option for ${code}`);
      throw new Error(`the option for ${code} reads ${JSON.stringify(label)}, not the name ${name}`);
    });
  return option;
}

/** Opens the complaint with this number from the complaint list. */
async function openComplaint(app, number) {
  await app.click("nav-complaints");
  const row = await app.expectRow("list-row", number);
  await app.clickRow(row.el);
  await app.find("complaint-actions");
}

export default {
  name: "sync",

  before: (ctx) => [
    ["the office is created with the command-line program; the hub is set up and serves on 127.0.0.1", async () => {
      if (!fs.existsSync(HUB)) throw new Error(`qingfeng-hub not found at ${HUB} (set QINGFENG_E2E_HUB)`);
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
      ctx.hubDb = path.join(ctx.tmp, "hub.db");
      await hubCli(ctx, ["init"]);
      await hubCli(ctx, ["office", "add", "530000", "云南省纪委监委", "--level", "province"]);
      await hubCli(ctx, ["office", "add", "530100", "昆明市纪委监委", "--level", "prefecture", "--parent", "530000"]);
      await hubCli(ctx, ["office", "add", "530102", "五华区纪委监委", "--level", "county", "--parent", "530100"]);
      await hubCli(ctx, ["office", "add", "530103", "盘龙区纪委监委", "--level", "county", "--parent", "530100"]);
      ctx.token = JSON.parse(await hubCli(ctx, ["token", "issue", "--office", "530102", "--json"])).token;
      ctx.hubUrl = await startHub(ctx);
    }],
  ],

  steps: (app, ctx) => [
    ["the 同步 screen shows an office not yet enrolled, with its setup events waiting to upload", async () => {
      await app.find("login-username", 30_000);
      await app.login("admin", ADMIN_PASSWORD, "张管理");
      await app.click("nav-sync");
      await app.expectText("sync-status", "未登记", "从未");
      const pending = Number(await app.textOf(await app.find("sync-pending")));
      if (!(pending > 0)) throw new Error(`expected events waiting to upload, saw ${pending}`);
      ctx.pendingBefore = pending;
      // The administrator holds no business post: the screen must not try to show case steps and
      // greet them with a refusal.
      const text = await app.pageText();
      if (text.includes("无权")) throw new Error(`the sync screen shows a refusal to the administrator: ${text}`);
    }],
    ["enrolling with the hub's address and token, then syncing, uploads every event and records the success", async () => {
      await app.typeInto("sync-hub-url", ctx.hubUrl);
      await app.typeInto("sync-token", ctx.token);
      await app.click("sync-enroll");
      await app.expectText("sync-notice", "本机已登记到省级平台");
      await app.expectText("sync-status", "已登记", ctx.hubUrl);
      await app.click("sync-now");
      await app.expectText("sync-notice", "同步完成");
      await app.wait("nothing left to upload", async () => (await app.textOf(await app.find("sync-pending", 2_000))) === "0");
      const status = await app.textOf(await app.find("sync-status"));
      if (status.includes("从未")) throw new Error(`the last success is still 从未: ${status}`);
      await app.screenshot("sync-enrolled.png");
    }],
    ["the hub holds every event the office sent, its chains intact", async () => {
      const report = JSON.parse(await hubCli(ctx, ["events", "verify", "--json"]));
      if (report.ok !== true || !(report.events >= ctx.pendingBefore)) throw new Error(`hub verify: ${JSON.stringify(report)}`);
    }],
    ["a case handed down with its scanned letter arrives before the file: the screen says 附件传输中", async () => {
      // The prefecture (its own computer and database) registers a letter with its scan and
      // transfers it down to this county.
      const city = ["--db", path.join(ctx.tmp, "city.db"), "--key-file", path.join(ctx.tmp, "city.key")];
      await cliOk([...city, "init", "--office-code", "530100", "--office-name", "昆明市纪委监委", "--level", "prefecture", "--parent", "530000", "--admin-name", "刘管理", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n` });
      // The petitions post reads reporters' identities, so a second administrator approves it.
      await cliOk([...city, "user", "add", "admin2", "--name", "钱管理", "--role", "admin", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n`, password: ADMIN_PASSWORD });
      await cliOk([...city, "user", "add", "sxf", "--name", "周信访", "--role", "petitions", "--password-stdin"], { input: "Xinfang#2026\n", password: ADMIN_PASSWORD });
      await cliOk([...city, "user", "approve", "sxf", "petitions", "--as", "admin2"], { password: ADMIN_PASSWORD });
      const token = JSON.parse(await hubCli(ctx, ["token", "issue", "--office", "530100", "--json"])).token;
      await cliOk([...city, "sync", "enroll", "--hub", ctx.hubUrl, "--token", token]);
      await cliOk([...city, "sync", "now"]);
      const form = {
        channel: "letter", received_at: "2026-01-05T10:00:00+08:00",
        reporter: { name: "测试检举人", unit: null, contact: "13800009999", address: null },
        real_name: true, real_name_verified: null, summary: "市纪委转来的来信", content: "附来信扫描件。",
        categories: [], subjects: [{ name: "甄测试", post: "所长", unit: "五华区测试局", level: "一般干部" }], repeat_of: null,
      };
      const as = { password: "Xinfang#2026" };
      const id = JSON.parse(await cliOk([...city, "complaint", "register", "--file", "-", "--as", "sxf", "--json"], { input: JSON.stringify(form), ...as })).id;
      const letter = path.join(ctx.tmp, "来信扫描件.txt");
      fs.writeFileSync(letter, "来信扫描件，正文内容。".repeat(120_000));
      await cliOk([...city, "complaint", "attach", id, letter, "--as", "sxf"], as);
      await cliOk([...city, "complaint", "transition", id, "screen", "--outcome", "transfer_downward", "--refer-to", "530102", "--reason", "属区管干部", "--as", "sxf"], as);
      // Its events reach the hub over a link that drops the file.
      const link = await eventsOnlyLink(ctx);
      await cli([...city, "sync", "now", "--hub", link]);
      await app.click("sync-now");
      await app.expectText("sync-blobs", "附件传输中", "1 个附件或证明材料");
      for (const [w, h, name] of [[1200, 800, "sync-blob-in-transit-1200.png"], [1920, 1080, "sync-blob-in-transit-1920.png"]]) {
        await app.setSize(w, h);
        await app.screenshot(name);
      }
      // The prefecture sends the file directly; the next sync brings it, and the alert goes.
      await cliOk([...city, "sync", "now", "--hub", ctx.hubUrl]);
      await app.click("sync-now");
      await app.expectText("sync-notice", "同步完成");
      await app.wait("the file to arrive", async () => (await app.shown("sync-blobs")).length === 0);
    }],
    ["the county hands that case to its sibling by name in the 平级移交 dialog; approved and synced, 盘龙区 has it", async () => {
      // 盘龙区 enrolls from its own computer and publishes its sealing keys, so the reporter's
      // identity can be sealed to it (a hand-over to an office with no key waits at the sender).
      const panlong = ["--db", path.join(ctx.tmp, "panlong.db"), "--key-file", path.join(ctx.tmp, "panlong.key")];
      await cliOk([...panlong, "init", "--office-code", "530103", "--office-name", "盘龙区纪委监委", "--level", "county", "--parent", "530100", "--admin-name", "孙管理", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n` });
      const token = JSON.parse(await hubCli(ctx, ["token", "issue", "--office", "530103", "--json"])).token;
      await cliOk([...panlong, "sync", "enroll", "--hub", ctx.hubUrl, "--token", token], { password: ADMIN_PASSWORD });
      await cliOk([...panlong, "sync", "now"], { password: ADMIN_PASSWORD });
      await app.click("nav-sync");
      await app.click("sync-now");
      await app.expectText("sync-notice", "同步完成");
      await app.logout();
      await app.login("xf", USERS.xf.password, USERS.xf.name);
      await openComplaint(app, "530100-2026-00001");
      await app.click("action-request_lateral");
      const option = await pickByName(app, "lateral-to", "盘龙", "530103");
      // The drop-down groups the offices by level; it offers exactly the sibling.
      const listed = await app.script(`return [...document.querySelectorAll(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")].map((d) => d.innerText).join("|");`);
      if (!listed.includes("县级") || !listed.includes("盘龙区纪委监委") || listed.includes("530103")) {
        throw new Error(`the picker shows ${JSON.stringify(listed)}`);
      }
      for (const [w, h, name] of [[1200, 800, "lateral-picker-1200.png"], [1920, 1080, "lateral-picker-1920.png"]]) {
        await app.setSize(w, h);
        await app.screenshot(name);
      }
      await app.clickEl(option, "the option 盘龙区纪委监委");
      await app.expectText("lateral-to", "盘龙区纪委监委");
      await app.typeInto("lateral-reason", "被反映人系盘龙区管理的干部");
      await app.submitModal();
      await app.logout();
      await app.login("ld", USERS.ld.password, USERS.ld.name);
      await openComplaint(app, "530100-2026-00001");
      await app.click("action-decide_approval");
      await app.expectText("decide-approval", "平级移交：盘龙区纪委监委");
      await app.click("decide-grant");
      await app.waitModalClosed("decide-grant");
      await app.expectText("complaint-timeline", "经领导批准，平级移交盘龙区纪委监委");
      await app.logout();
      await app.login("admin", ADMIN_PASSWORD, "张管理");
      await app.click("nav-sync");
      await app.click("sync-now");
      await app.expectText("sync-notice", "同步完成");
      await app.logout();
      await app.login("xf", USERS.xf.password, USERS.xf.name);
      await openComplaint(app, "530100-2026-00001");
      await app.expectText("complaint-owner", "此件现由盘龙区纪委监委");
      for (const [w, h, name] of [[1200, 800, "lateral-handed-1200.png"], [1920, 1080, "lateral-handed-1920.png"]]) {
        await app.setSize(w, h);
        await app.screenshot(name);
      }
      await app.logout();
      await app.login("admin", ADMIN_PASSWORD, "张管理");
      await app.click("nav-sync");
    }],
    ["the hub publishes a notice template; after a sync 资料袋 counts it, 文书模板 shows it beside the office's own, and the administrator adopts it", async () => {
      const file = path.join(ctx.tmp, "受理告知书.toml");
      const builtin = fs.readFileSync(path.join(REPO, "crates/notice/templates/acceptance.toml"), "utf8");
      fs.writeFileSync(file, builtin.replace('title = "受理告知书"', 'title = "受理告知书（省级）"'));
      await hubCli(ctx, ["content", "publish", "--kind", "notice-template", "--id", "acceptance", "--version", "1", "--title", "受理告知书（省级）", file]);
      await app.click("sync-now");
      await app.expectText("sync-notice", "同步完成");
      // The menu's count is read again on navigation.
      await app.click("nav-notice-templates");
      await app.expectText("nav-library-count", "1");
      await app.expectText("province-content", "受理告知书（省级）", "省级第 1 版", "新到", "省级有新版本，本机关现用第 1 版");
      await app.shots("province-template-arrived");
      await app.click("province-adopt");
      await app.click("province-adopt-confirm");
      await app.expectText("province-state", "已采用为本机关第 2 版");
      // The editor now shows the office's new version, the province's text, in use.
      await app.expectText("template-version", "第2版", "使用中");
      await app.absent("province-adopt", "the adopted version is not offered again");
      await app.shots("province-template-adopted");
      // 资料袋 lists it among the province's publications, no longer new, and its count is gone.
      await app.click("nav-library");
      await app.expectText("province-content", "受理告知书（省级）", "已采用为本机关第 2 版");
      await app.absent("province-new", "what was shown once is no longer new");
      await app.absent("nav-library-count", "nothing new is left");
      await app.shots("province-library");
      await app.click("nav-sync");
    }],
    ["with the hub gone, 立即同步 says in Chinese that the hub cannot be reached and shows it as the last error", async () => {
      await killHub(ctx);
      await app.click("sync-now");
      await app.expectText("sync-error", "无法连接省级平台", `平台地址 ${ctx.hubUrl}`);
      await app.expectText("sync-last-error", "无法连接省级平台");
      await app.expectText("sync-status", "已登记");
      await app.screenshot("sync-hub-down.png");
    }],
  ],

  after: () => [],

  /** Always runs, also after a failure: the hub must not outlive the test that started it. */
  cleanup: async (ctx) => {
    ctx.link?.close();
    await killHub(ctx);
  },
};

