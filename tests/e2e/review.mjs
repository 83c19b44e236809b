// Scenario: the provincial closed loop of issue #16 item 9, with the prefecture in the desktop window.
// A hub with the province's directory serves on 127.0.0.1; 五华区 and 盘龙区 work through the
// command-line program of the same build, each with its own database. 五华区 reports a real-name
// complaint upward; in the window 昆明市's petitions officer assigns it (交办) to 盘龙区, picking the
// county by name, and its leader approves; 盘龙区 accepts it, its reporter's acceptance notice falls
// due there (not at 五华区 nor 昆明市) and is issued as a numbered notice; 盘龙区 reports its
// result; back in the window the review (审核结果报告) is on 工作台, the dialog shows the report, and
// 昆明市 accepts it. Both offices' timelines then say, with office names, that it was accepted.

import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { cliOk, dbArgs, runOk, sleep, REPO, HUB, hubCli, killHub, startHub } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const XF = { name: "周信访", password: "Xinfang#2026" };
const LD = { name: "吴领导", password: "Lingdao#2026" };
const DIRECTORY = `代码,名称,简称,层级,上级代码,类别
530000,云南省纪委监委,云,省级,,
530100,昆明市纪委监委,昆,州市级,530000,
530102,五华区纪委监委,五,县级,530100,
530103,盘龙区纪委监委,盘,县级,530100,
`;

/** Sets up an office's database with an administrator, a second one, petitions (xf) and a leader (ld). */
async function initOffice(args, code, name, level, parent) {
  await cliOk([...args, "init", "--office-code", code, "--office-name", name, "--level", level, "--parent", parent, "--admin-name", "张管理", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n` });
  await cliOk([...args, "user", "add", "admin2", "--name", "李管理", "--role", "admin", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n`, password: ADMIN_PASSWORD });
  for (const [user, u, role] of [["xf", XF, "petitions"], ["ld", LD, "leader"]]) {
    await cliOk([...args, "user", "add", user, "--name", u.name, "--role", role, "--password-stdin"], { input: `${u.password}\n`, password: ADMIN_PASSWORD });
    await cliOk([...args, "user", "approve", user, role, "--as", "admin2"], { password: ADMIN_PASSWORD });
  }
}

async function enroll(ctx, args, code) {
  const token = JSON.parse(await hubCli(ctx, ["token", "issue", "--office", code, "--json"])).token;
  await cliOk([...args, "sync", "enroll", "--hub", ctx.hubUrl, "--token", token], { password: ADMIN_PASSWORD });
  await cliOk([...args, "sync", "now"], { password: ADMIN_PASSWORD });
}

/** A county's command line, as its petitions officer (or `user`), with JSON output. */
async function county(args, step, user = "xf") {
  const password = user === "ld" ? LD.password : XF.password;
  return JSON.parse(await cliOk([...args, ...step, "--as", user, "--json"], { password }));
}

/** From the login screen, the window's office syncs on the 同步 screen as its administrator; then
 * `user` (if any) logs in. */
async function syncWindow(app, user) {
  await app.login("admin", ADMIN_PASSWORD, "张管理");
  await app.click("nav-sync");
  // The program also syncs by itself after a login; a click while that runs may be taken by it,
  // so one more click is allowed before the notice must say the sync finished.
  await app.click("sync-now");
  await app.expectText("sync-notice", "同步完成").catch(async () => {
    await app.click("sync-now");
    await app.expectText("sync-notice", "同步完成");
  });
  await app.logout();
  if (user) await app.login(user.id, user.password, user.name);
}

const openDeadlines = (detail, kind) => detail.deadlines.filter((d) => d.kind === kind && d.status === "open");

export default {
  name: "review",

  before: (ctx) => [
    ["a hub with the province's directory serves on 127.0.0.1; 昆明市, 五华区 and 盘龙区 are set up and enrolled", async () => {
      if (!fs.existsSync(HUB)) throw new Error(`qingfeng-hub not found at ${HUB} (set QINGFENG_E2E_HUB)`);
      ctx.hubDb = path.join(ctx.tmp, "hub.db");
      await hubCli(ctx, ["init"]);
      const file = path.join(ctx.tmp, "名录.csv");
      fs.writeFileSync(file, DIRECTORY);
      await hubCli(ctx, ["directory", "import", file]);
      ctx.hubUrl = await startHub(ctx);
      ctx.wuhua = ["--db", path.join(ctx.tmp, "wuhua.db"), "--key-file", path.join(ctx.tmp, "wuhua.key")];
      ctx.panlong = ["--db", path.join(ctx.tmp, "panlong.db"), "--key-file", path.join(ctx.tmp, "panlong.key")];
      await initOffice(dbArgs(ctx), "530100", "昆明市纪委监委", "prefecture", "530000");
      await initOffice(ctx.wuhua, "530102", "五华区纪委监委", "county", "530100");
      await initOffice(ctx.panlong, "530103", "盘龙区纪委监委", "county", "530100");
      await enroll(ctx, dbArgs(ctx), "530100");
      await enroll(ctx, ctx.wuhua, "530102");
      await enroll(ctx, ctx.panlong, "530103");
      // Each has the others' sealing keys: the reporter's identity can travel to any of them.
      for (const args of [dbArgs(ctx), ctx.wuhua, ctx.panlong]) await cliOk([...args, "sync", "now"], { password: ADMIN_PASSWORD });
      // 五华区 registers a real-name complaint about a cadre the city manages and reports it upward.
      const form = {
        channel: "letter", received_at: "2026-01-05T10:00:00+08:00",
        reporter: { name: "测试检举人", unit: null, contact: "13800009999", address: "测试地址 1 号" },
        real_name: true, real_name_verified: "phone", summary: "反映某局局长违规收受礼金", content: "系统测试内容。",
        categories: [], subjects: [{ name: "甄测试", post: "局长", unit: "五华区测试局", level: "县处级" }], repeat_of: null,
      };
      const made = JSON.parse(await cliOk([...ctx.wuhua, "complaint", "register", "--file", "-", "--as", "xf", "--json"], { input: JSON.stringify(form), password: XF.password }));
      ctx.id = made.id;
      ctx.number = made.number;
      await county(ctx.wuhua, ["complaint", "transition", ctx.id, "screen", "--outcome", "report_upward", "--refer-to", "昆明市纪委监委", "--reason", "涉及市管干部"]);
      await cliOk([...ctx.wuhua, "sync", "now"], { password: ADMIN_PASSWORD });
    }],
  ],

  steps: (app, ctx) => [
    ["昆明市 receives the report upward; its petitions officer assigns it to 盘龙区 by name and the leader approves", async () => {
      await app.find("login-username", 30_000);
      await syncWindow(app, { id: "xf", ...XF });
      await app.click("nav-inbox");
      const row = await app.expectRow("inbox-row", ctx.number);
      await app.clickRow(row.el);
      await app.click("action-request_assignment");
      const root = await app.find("assign-to");
      await app.clickEl(root, "assign-to");
      const input = await app.wd("POST", `/element/${root}/element`, { using: "css selector", value: "input" });
      await app.wd("POST", `/element/${Object.values(input)[0]}/value`, { text: "盘龙" });
      const [option] = await app.shown("option-530103").then(async (els) => (els.length ? els : (await sleep(500), app.shown("option-530103"))));
      if (!option) throw new Error("the assign picker offers no 盘龙区纪委监委");
      await app.clickEl(option, "the option 盘龙区纪委监委");
      await app.typeInto("report-days", "20");
      await app.typeInto("directive-reason", "被反映人系盘龙区管理的干部，请查处并报告结果");
      await app.submitModal();
      await app.logout();
      await app.login("ld", LD.password, LD.name);
      await app.click("nav-inbox");
      await app.clickRow((await app.expectRow("inbox-row", ctx.number)).el);
      await app.click("action-decide_approval");
      await app.click("decide-grant");
      await app.waitModalClosed("decide-grant");
      await app.expectText("complaint-timeline", "交办盘龙区纪委监委");
      await app.logout();
      await syncWindow(app, null);
    }],
    ["盘龙区 accepts it; the reporter's acceptance notice falls due there alone and is issued", async () => {
      await cliOk([...ctx.panlong, "sync", "now"], { password: ADMIN_PASSWORD });
      await cliOk([...ctx.wuhua, "sync", "now"], { password: ADMIN_PASSWORD });
      let there = await county(ctx.panlong, ["complaint", "show", ctx.id]);
      if (there.handled_here !== true) throw new Error(`盘龙区 does not handle it: ${JSON.stringify(there.owner)}`);
      await county(ctx.panlong, ["complaint", "transition", ctx.id, "screen", "--outcome", "accept_transfer", "--department", "supervision", "--reason", "属本机关管辖"]);
      there = await county(ctx.panlong, ["complaint", "show", ctx.id]);
      if (openDeadlines(there, "acceptance_notice").length !== 1) throw new Error(`no acceptance notice due at 盘龙区: ${JSON.stringify(there.deadlines)}`);
      // 五华区 keeps the case on record, but the notice is 盘龙区's: only its dashboard shows it.
      const owes = async (args) => (await county(args, ["complaint", "dashboard"])).items.some((i) => i.complaint_id === ctx.id && i.deadline.kind === "acceptance_notice");
      if (await owes(ctx.wuhua)) throw new Error("五华区 still owes the notice");
      if (!(await owes(ctx.panlong))) throw new Error("盘龙区's dashboard does not show the notice due");
      await cliOk([...ctx.panlong, "notice", "issue", "--kind", "acceptance", "--complaint", ctx.id, "--out", path.join(ctx.tmp, "受理告知书.pdf"), "--as", "xf"], { password: XF.password });
      there = await county(ctx.panlong, ["complaint", "show", ctx.id]);
      if (openDeadlines(there, "acceptance_notice").length !== 0) throw new Error(`the notice is still owed: ${JSON.stringify(there.deadlines)}`);
      if (!fs.existsSync(path.join(ctx.tmp, "受理告知书.pdf"))) throw new Error("no PDF of the notice");
      await county(ctx.panlong, ["complaint", "transition", ctx.id, "report-result", "--date", "2026-01-06", "--note", "经核查，反映问题部分属实，已立案审查"]);
      await cliOk([...ctx.panlong, "sync", "now"], { password: ADMIN_PASSWORD });
    }],
    ["back at 昆明市 the review is on 工作台; the dialog shows 盘龙区's report; 昆明市 accepts it", async () => {
      await syncWindow(app, { id: "xf", ...XF });
      await app.click("nav-inbox");
      const row = await app.expectRow("inbox-row", ctx.number, "审核结果报告", "盘龙区纪委监委");
      await app.shots("review-worklist");
      await app.clickRow(row.el);
      await app.expectText("complaint-deadlines", "审核办理结果报告");
      // A send-back needs a note: refused in the dialog, nothing sent.
      await app.click("action-return_result");
      await app.find("review-days");
      await app.click("modal-submit");
      await app.wait("the note to be asked for", async () => (await app.pageText()).includes("请填写退回重报的理由和要求"));
      await app.shots("review-return-dialog");
      await app.script(`const m = [...document.querySelectorAll(".ant-modal-wrap")].filter((w) => w.style.display !== "none").pop(); m?.querySelector(".ant-modal-close")?.click();`);
      await app.waitGone("review-note");
      await app.click("action-accept_result");
      await app.expectText("review-report", "盘龙区纪委监委", "反映问题部分属实");
      await app.typeInto("review-note", "核查扎实，予以采纳");
      await app.shots("review-accept-dialog");
      await app.submitModal();
      await app.expectText("complaint-timeline", "昆明市纪委监委审核办理结果：采纳", "核查扎实，予以采纳");
      await app.absent("action-accept_result", "the review is done");
      await app.script(`document.querySelector('[data-testid="complaint-timeline"]').scrollIntoView({ block: "end" });`);
      await app.shots("review-accepted");
      await app.click("nav-inbox");
      const text = await app.pageText();
      if (text.includes("审核结果报告")) throw new Error("the review is still on 工作台");
    }],
    ["盘龙区 sees the acceptance in its timeline, by name; neither office has a report or review left open", async () => {
      await app.logout();
      await syncWindow(app, null);
      await cliOk([...ctx.panlong, "sync", "now"], { password: ADMIN_PASSWORD });
      const there = await county(ctx.panlong, ["complaint", "show", ctx.id]);
      const said = there.timeline.map((t) => t.text);
      if (!said.some((t) => t.includes("昆明市纪委监委审核办理结果：采纳"))) throw new Error(`盘龙区's timeline: ${JSON.stringify(said)}`);
      for (const kind of ["assignment_report", "result_review"]) {
        if (openDeadlines(there, kind).length) throw new Error(`${kind} still open at 盘龙区`);
      }
    }],
  ],

  after: () => [],

  cleanup: async (ctx) => {
    await killHub(ctx);
  },
};
