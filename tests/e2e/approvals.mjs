// Scenario: the office above approves a county's detention in the real window (issue #16 item 6).
// The window is 昆明市纪委监委 (530100), enrolled with a real hub on 127.0.0.1; 五华区纪委监委 (530102)
// below it works from the command-line program on its own database. The county files a case and
// asks the city to approve detention (留置); both sync. In the window the city's leader finds the
// request on 工作台 naming the county, the complaint's number and what is asked (never the
// reporter), opens it and grants it; the grant is on the timeline and the detention's end on the
// city's 期限看板 as a deadline it follows. After the window closes, the next syncs carry the grant
// to the county, where detention has started from the approval's date.

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cliOk, dbArgs, REPO, runOk, sleep, todayIso, HUB, hubCli, killHub, startHub } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const LEADER = { name: "王领导", password: "Lingdao#2026" };

/** Adds an account to the office at `db` as its administrator. */
async function addUser(db, username, name, role, password) {
  await cliOk([...db, "user", "add", username, "--name", name, "--role", role, "--password-stdin"], {
    input: `${password}\n`,
    password: ADMIN_PASSWORD,
  });
}

export default {
  name: "approvals",

  before: (ctx) => [
    ["a hub with the directory, the city (the window's database) and the county below it, both enrolled", async () => {
      if (!fs.existsSync(HUB)) throw new Error(`qingfeng-hub not found at ${HUB} (set QINGFENG_E2E_HUB)`);
      ctx.hubDb = path.join(ctx.tmp, "hub.db");
      await hubCli(ctx, ["init"]);
      await hubCli(ctx, ["office", "add", "530000", "云南省纪委监委", "--level", "province"]);
      await hubCli(ctx, ["office", "add", "530100", "昆明市纪委监委", "--level", "prefecture", "--parent", "530000"]);
      await hubCli(ctx, ["office", "add", "530102", "五华区纪委监委", "--level", "county", "--parent", "530100"]);
      ctx.hubUrl = await startHub(ctx);
      const city = dbArgs(ctx);
      await cliOk([...city, "init", "--office-code", "530100", "--office-name", "昆明市纪委监委", "--level", "prefecture", "--parent", "530000", "--admin-name", "刘管理", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n` });
      await addUser(city, "admin2", "钱管理", "admin", ADMIN_PASSWORD);
      await addUser(city, "ld", LEADER.name, "leader", LEADER.password);
      await cliOk([...city, "user", "approve", "ld", "leader", "--as", "admin2"], { password: ADMIN_PASSWORD });
      const county = ["--db", path.join(ctx.tmp, "county.db"), "--key-file", path.join(ctx.tmp, "county.key")];
      ctx.county = county;
      await cliOk([...county, "init", "--office-code", "530102", "--office-name", "五华区纪委监委", "--parent", "530100", "--admin-name", "张管理", "--password-stdin"], { input: `${ADMIN_PASSWORD}\n` });
      await addUser(county, "admin2", "李管理", "admin", ADMIN_PASSWORD);
      await addUser(county, "xf", "李信访", "petitions", "Xinfang#2026");
      await addUser(county, "ld", "赵领导", "leader", "Lingdao#2026");
      await addUser(county, "jc", "钱审查", "supervision", "Jiancha#2026");
      for (const [u, role] of [["xf", "petitions"], ["ld", "leader"]]) {
        await cliOk([...county, "user", "approve", u, role, "--as", "admin2"], { password: ADMIN_PASSWORD });
      }
      for (const [db, code] of [[city, "530100"], [county, "530102"]]) {
        const token = JSON.parse(await hubCli(ctx, ["token", "issue", "--office", code, "--json"])).token;
        await cliOk([...db, "sync", "enroll", "--hub", ctx.hubUrl, "--token", token], { password: ADMIN_PASSWORD });
        await cliOk([...db, "sync", "now"], { password: ADMIN_PASSWORD });
      }
    }],
    ["the county files a case and asks the city to approve detention; both sync", async () => {
      const county = ctx.county;
      const form = {
        channel: "letter", received_at: "2026-01-05T10:00:00+08:00",
        reporter: { name: "测试检举人", unit: null, contact: "13800009999", address: null },
        real_name: true, real_name_verified: null, summary: "反映某局长严重违纪违法问题", content: "反映某局长违规收受工程款。",
        categories: [], subjects: [{ name: "甄测试", post: "局长", unit: "五华区测试局", level: "县管干部" }], repeat_of: null,
      };
      const xf = { password: "Xinfang#2026" };
      const jc = { password: "Jiancha#2026" };
      const created = JSON.parse(await cliOk([...county, "complaint", "register", "--file", "-", "--as", "xf", "--json"], { input: JSON.stringify(form), ...xf }));
      ctx.id = created.id;
      ctx.number = created.summary?.number ?? created.number;
      await cliOk([...county, "complaint", "transition", ctx.id, "screen", "--outcome", "accept_transfer", "--department", "supervision", "--as", "xf"], xf);
      const filing = JSON.parse(await cliOk([...county, "complaint", "transition", ctx.id, "request-disposal", "--method", "file_case", "--reason", "经集体研究拟立案审查调查", "--as", "jc", "--json"], jc));
      await cliOk([...county, "complaint", "transition", ctx.id, "decide", "--approval", filing.approval_id, "--grant", "--comment", "同意立案", "--as", "ld"], { password: "Lingdao#2026" });
      await cliOk([...county, "complaint", "transition", ctx.id, "milestone", "--stage", "filed", "--date", "2026-01-06", "--note", "立案", "--as", "jc"], jc);
      const asked = JSON.parse(await cliOk([...county, "complaint", "transition", ctx.id, "request-detention", "--reason", "涉嫌严重职务违法，拟采取留置措施", "--as", "jc", "--json"], jc));
      if (!asked.approval_id) throw new Error("no approval was asked");
      ctx.number = asked.number;
      await cliOk([...county, "sync", "now"], { password: ADMIN_PASSWORD });
      await cliOk([...dbArgs(ctx), "sync", "now"], { password: ADMIN_PASSWORD });
    }],
  ],

  steps: (app, ctx) => [
    ["the city's leader finds the county's request on 工作台: the county, the number and what is asked, no reporter", async () => {
      await app.find("login-username", 30_000);
      await app.login("ld", LEADER.password, LEADER.name);
      await app.click("nav-inbox");
      const row = await app.expectRow("inbox-row", ctx.number, "审批五华区纪委监委的请示：采取留置措施");
      if (row.text.includes("测试检举人")) throw new Error(`the row names the reporter: ${row.text}`);
      await app.shots("approvals-worklist");
      await app.clickRow(row.el);
      await app.find("complaint-actions");
    }],
    ["the leader opens the request, sees what is asked and by whom, and grants it", async () => {
      await app.click("action-decide_approval");
      await app.expectText("decide-approval", "采取留置措施（报昆明市纪委监委批准）", "涉嫌严重职务违法");
      await app.shots("approvals-decide");
      await app.typeInto("decide-comment", "同意采取留置措施");
      await app.click("decide-grant");
      await app.waitModalClosed("decide-grant");
      await app.expectText("complaint-timeline", `昆明市纪委监委批准采取留置措施（${todayIso()}）`);
      await app.expectText("complaint-approvals", "已同意");
      await app.shots("approvals-granted");
    }],
    ["the city's 期限看板 follows the detention it approved", async () => {
      await app.click("nav-dashboard");
      await app.expectRow("dash-row", ctx.number, "留置");
      await app.shots("approvals-dashboard");
    }],
  ],

  after: (ctx) => [
    ["the next syncs carry the grant to the county, where detention has started from the approval's date", async () => {
      await cliOk([...dbArgs(ctx), "sync", "now"], { password: ADMIN_PASSWORD });
      await cliOk([...ctx.county, "sync", "now"], { password: ADMIN_PASSWORD });
      const page = JSON.parse(await cliOk([...ctx.county, "complaint", "show", ctx.id, "--as", "jc", "--json"], { password: "Jiancha#2026" }));
      const end = page.deadlines.find((d) => d.kind === "detention_end" && d.status === "open");
      if (!end) throw new Error(`no detention at the county: ${JSON.stringify(page.deadlines)}`);
      if (!page.timeline.some((t) => t.text.startsWith(`昆明市纪委监委批准采取留置措施（${todayIso()}）`))) {
        throw new Error(`the county's timeline lacks the grant: ${JSON.stringify(page.timeline.map((t) => t.text))}`);
      }
    }],
  ],

  cleanup: async (ctx) => {
    await killHub(ctx);
  },
};
