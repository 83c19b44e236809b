// Scenario 6, an integrity opinion (廉政意见回复, issue #19): 监督检查室 registers the organisation
// department's request for two cadres in 廉政档案 (a list naming one person twice is refused first),
// sees an open complaint suggested for one of them, confirms it on the cadre's file (the reading is
// logged), keeps the proposed conclusions and submits them; 分管领导 approves; 监督检查室 issues the
// reply as a numbered 廉政意见回复. Screenshots of the request at 1200×800 and 1920×1080. Afterwards
// the command line must show the request replied with that number, and the readings logged.
//
// The office, its accounts and the complaint are made with the command-line program.

import fs from "node:fs";
import path from "node:path";
import { cli, cliOk, createOffice, dbArgs } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = {
  xinfang: { name: "王信访", role: "petitions", password: "Xinfang#2026" },
  jiancha: { name: "李监督", role: "supervision", password: "Jiancha#2026" },
  lingdao: { name: "赵领导", role: "leader", password: "Lingdao#2026" },
};
const SUBJECT = "吴测试";
const SUBJECT_UNIT = "区测试所";
const CLEAN = "白清廉";
const CLEAN_UNIT = "区教育局";
const REPORTER = "孔检举";
const year = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

/** Types into the n-th shown element with the test id (the rows of the person list share ids). */
async function typeIntoNth(app, testId, n, text) {
  const els = await app.shown(testId);
  if (els.length <= n) throw new Error(`only ${els.length} [data-testid="${testId}"] shown, wanted #${n + 1}`);
  const el = els[n];
  await app.wd("POST", `/element/${el}/click`, {});
  await app.wd("POST", `/element/${el}/value`, { text: "\uE009a\uE000\uE003" });
  await app.wd("POST", `/element/${el}/value`, { text });
}

export default {
  name: "integrity",

  before: (ctx) => [
    ["the office, its accounts and a complaint about 吴测试 are made with the command-line program", async () => {
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
      const form = {
        channel: "letter",
        received_at: new Date(Date.now() - 60_000).toISOString(),
        reporter: { name: REPORTER, unit: null, contact: "13900001111", address: "某路1号" },
        real_name: true,
        real_name_verified: null,
        summary: "反映区测试所所长吴测试违规收费",
        content: "吴测试违规收取办证费用，数额较大。",
        categories: ["违反群众纪律"],
        subjects: [{ name: SUBJECT, post: "所长", unit: SUBJECT_UNIT, level: "一般干部" }],
        repeat_of: null,
      };
      const file = path.join(ctx.tmp, "complaint.json");
      fs.writeFileSync(file, JSON.stringify(form));
      await cliOk([...dbArgs(ctx), "complaint", "register", "--file", file, "--as", "xinfang", "--json"], { password: USERS.xinfang.password });
    }],
  ],

  steps: (app, ctx) => [
    ["监督检查室 opens 廉政档案 and registers a request; naming a person twice is refused in Chinese", async () => {
      await app.find("login-username", 30_000);
      await app.login("jiancha", USERS.jiancha.password, USERS.jiancha.name);
      await app.click("nav-integrity");
      await app.find("integrity-screen");
      await app.typeInto("req-requester", "中共五华区委组织部");
      await app.typeInto("req-ref", "五组函〔2026〕15号");
      await app.typeInto("req-note", "拟提拔为副科级领导干部");
      await app.click("req-add-person");
      for (const n of [0, 1]) {
        await typeIntoNth(app, "req-person-name", n, SUBJECT);
        await typeIntoNth(app, "req-person-unit", n, SUBJECT_UNIT);
      }
      await app.click("req-submit");
      await app.expectText("register-error", "第 2 人", "重复");
      await typeIntoNth(app, "req-person-name", 1, CLEAN);
      await typeIntoNth(app, "req-person-unit", 1, CLEAN_UNIT);
      await typeIntoNth(app, "req-person-post", 1, "副局长");
      await app.click("req-submit");
      await app.expectText("opinion-status", "拟稿中");
    }],
    ["the request shows the complaint as a suggestion for 吴测试 and nothing for 白清廉; submitting waits for it", async () => {
      await app.expectRow("opinion-person", SUBJECT, "信访举报正在办理", "疑似");
      await app.expectRow("opinion-person", CLEAN, "未发现涉及本人的记录");
      await app.expectText("opinion-deadline", "回复期限");
      // 提交审批 is not offered while a suggestion is undecided, and the page says why.
      await app.expectText("opinion-waiting", "吴测试（1 条）", "确认或分开");
      await app.absent("opinion-submit", "while a suggestion is undecided");
    }],
    ["on 吴测试's file the officer confirms the complaint as his; the reading is listed with its purpose", async () => {
      await app.click("person-file");
      await app.expectRow("file-record", "检举控告", "疑似");
      await app.expectText("file-readings", USERS.jiancha.name, "办理廉政意见回复（五组函〔2026〕15号）");
      await app.click("record-confirm");
      await app.expectRow("file-record", "已确认为本人");
      await app.script(`document.querySelector(".ant-drawer-open .ant-drawer-close")?.click();`);
      await app.wait("the file to close", async () => (await app.shown("file-records")).length === 0);
    }],
    ["the proposed conclusions read in the office's phrasing; screenshots at 1200×800 and 1920×1080", async () => {
      await app.expectRow("opinion-person", SUBJECT, "有反映其问题的信访举报正在办理的情况，不宜提拔或者进一步使用");
      await app.expectRow("opinion-person", CLEAN, `未发现${CLEAN}同志有违纪违法问题`);
      for (const [w, h, name] of [[1200, 800, "integrity-opinion-1200.png"], [1920, 1080, "integrity-opinion-1920.png"]]) {
        await app.setSize(w, h);
        await app.screenshot(name);
      }
      await app.click("opinion-submit");
      await app.expectText("opinion-status", "待领导审批");
      await app.logout();
    }],
    ["分管领导 approves", async () => {
      await app.login("lingdao", USERS.lingdao.password, USERS.lingdao.name);
      await app.click("nav-integrity");
      await app.clickRow((await app.expectRow("opinion-row", "五组函〔2026〕15号", "待领导审批")).el);
      await app.click("opinion-approve");
      await app.expectText("opinion-status", "已批准待回复");
      await app.logout();
    }],
    ["监督检查室 issues the reply as a numbered 廉政意见回复", async () => {
      await app.login("jiancha", USERS.jiancha.password, USERS.jiancha.name);
      await app.click("nav-integrity");
      await app.clickRow((await app.expectRow("opinion-row", "五组函〔2026〕15号", "已批准待回复")).el);
      await app.click("notice-open-integrity_reply");
      await app.expectText("notice-locked", "中共五华区委组织部", "五组函〔2026〕15号", "不宜提拔");
      ctx.number = `五纪廉〔${year()}〕1号`;
      await app.click("notice-preview-button");
      await app.expectText("notice-preview", "预览（未编号）", `下一个文号为 ${ctx.number}`);
      await app.click("notice-issue");
      // 签发 asks first, naming the number it will take (issue #18).
      await app.expectText("notice-issue-ask", `签发后将使用文号 ${ctx.number}`);
      await app.click("notice-issue-confirm");
      await app.expectText("notice-issued", `已签发 ${ctx.number}`);
      await app.screenshot("integrity-reply-issued.png");
      await app.click("notice-close");
      await app.expectText("opinion-status", "已回复");
      await app.expectText("opinion-number", ctx.number);
      await app.screenshot("integrity-replied.png");
    }],
  ],

  after: (ctx) => [
    ["the command line shows the request replied with the number, and every reading of a file logged", async () => {
      const as = { password: USERS.jiancha.password };
      const rows = JSON.parse(await cliOk([...dbArgs(ctx), "integrity", "requests", "--as", "jiancha", "--json"], as));
      if (rows.length !== 1 || rows[0].status !== "replied" || rows[0].reply_number !== ctx.number) {
        throw new Error(`requests: ${JSON.stringify(rows)}`);
      }
      // The log is read through a login (issue #14): the administrator's.
      // The JSON carries each event's kind; the text names steps in Chinese for people.
      const events = JSON.parse(await cliOk([...dbArgs(ctx), "events", "list", "--limit", "500", "--json"], { password: ADMIN_PASSWORD }));
      const readings = events.filter((e) => e.kind === "integrity.file_viewed").length;
      if (readings < 3) throw new Error(`only ${readings} integrity.file_viewed events in the log`);
      // A petitions officer is refused the files.
      const refused = await cli([...dbArgs(ctx), "integrity", "cadres", "--as", "xinfang"], { password: USERS.xinfang.password });
      if (refused.code === 0 || !refused.stderr.includes("角色")) throw new Error(`信访室 was not refused: ${JSON.stringify(refused)}`);
    }],
  ],

  cleanup: async () => {},
};
