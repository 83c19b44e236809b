// Scenario 7, a supervision suggestion (监督建议书, issue #19 item 2): 监督检查室 drafts a letter to a
// unit in 监督建议 (a draft without a unit is refused first), issues it as a numbered 监督建议书, records
// the unit's feedback with one of its two problems rectified and accepts it; then drafts a circular
// for the year, which names the unit for the problem still open, and issues it as a numbered
// 监督通报; the statistics count the letter, the feedback on time and the problem rectified.
// Screenshots of the letter at 1200×800 and 1920×1080. Afterwards the command line must show the
// letter closed with its number, and refuse a feedback on the closed letter.

import { cli, cliOk, createOffice, dbArgs } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = { jiancha: { name: "李监督", role: "supervision", password: "Jiancha#2026" } };
const UNIT = "区测试住建局";
const year = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

async function issue(app, kind, number) {
  await app.click(`notice-open-${kind}`);
  // 签发 waits for a preview of the values as they stand, which names the next number.
  await app.click("notice-preview-button");
  await app.expectText("notice-preview", "预览（未编号）", `下一个文号为 ${number}`);
  await app.click("notice-issue");
  await app.expectText("notice-issue-ask", `签发后将使用文号 ${number}`);
  await app.click("notice-issue-confirm");
  await app.expectText("notice-issued", `已签发 ${number}`);
  await app.click("notice-close");
}

export default {
  name: "supervision",

  before: (ctx) => [
    ["the office and its supervision officer are made with the command-line program", async () => {
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
    }],
  ],

  steps: (app, ctx) => [
    ["监督检查室 drafts a letter in 监督建议; a draft without a unit is refused in Chinese", async () => {
      await app.find("login-username", 30_000);
      await app.login("jiancha", USERS.jiancha.password, USERS.jiancha.name);
      await app.click("nav-letters");
      await app.find("supervision-screen");
      await app.typeInto("draft-title", "关于加强工程项目监管的监督建议");
      // One problem per line: the second goes after an Enter, as an officer types it (a "\n" in
      // the typed text is not a key press for WebKitWebDriver).
      await app.typeInto("draft-problems", "工程招标程序不规范");
      await app.press("draft-problems", "\uE007项目资金拨付审核不严");
      await app.typeInto("draft-suggestions", "完善招投标内控制度，严格资金拨付审核。");
      await app.click("draft-submit");
      await app.expectText("draft-error", "被监督单位");
      await app.typeInto("draft-unit", UNIT);
      await app.click("draft-submit");
      await app.expectText("letter-status", "拟稿");
      await app.expectRow("letter-problem", "项目资金拨付审核不严");
    }],
    ["the letter is issued as a numbered 监督建议书 and its feedback falls due; screenshots", async () => {
      ctx.letter = `五纪建〔${year()}〕1号`;
      await issue(app, "supervision_suggestion", ctx.letter);
      await app.expectText("letter-status", "待反馈");
      await app.expectText("letter-deadline", "反馈期限", "剩");
      for (const [w, h, name] of [[1200, 800, "supervision-letter-1200.png"], [1920, 1080, "supervision-letter-1920.png"]]) {
        await app.setSize(w, h);
        await app.screenshot(name);
      }
    }],
    ["the unit's feedback is recorded with one problem rectified, on time, and accepted", async () => {
      await app.click("letter-feedback-open");
      await app.typeInto("feedback-content", "已修订招投标内控制度，资金审核问题正在整改。");
      await app.click("rectified-1");
      await app.submitModal();
      await app.expectRow("feedback-row", "第 1 次反馈", "按期", "待审核", "已整改问题：1");
      await app.click("letter-accept");
      await app.expectText("letter-status", "已办结");
      await app.absent("letter-feedback-open", "the letter is closed");
      await app.screenshot("supervision-letter-closed.png");
    }],
    ["a circular for the year names the unit for the problem still open and is issued with its number", async () => {
      await app.click("letter-back");
      await app.click("tab-circulars");
      await app.click("circular-draft");
      await app.expectRow("circular-unit", UNIT, "尚有1个未整改到位");
      ctx.circular = `五纪通〔${year()}〕1号`;
      await issue(app, "circular", ctx.circular);
      await app.expectRow("circular-row", "已签发", ctx.circular);
      await app.screenshot("supervision-circular.png");
    }],
    ["the statistics count the letter, the feedback on time and the problem rectified", async () => {
      await app.click("tab-stats");
      await app.expectText("stat-suggestions_sent", "1");
      await app.expectText("stat-feedback_on_time", "1");
      await app.expectText("stat-problems_rectified", "1");
      await app.expectText("stat-units_named", "1");
      await app.screenshot("supervision-stats.png");
    }],
  ],

  after: (ctx) => [
    ["the command line shows the letter closed with its number and refuses feedback on it", async () => {
      const as = { password: USERS.jiancha.password };
      const rows = JSON.parse(await cliOk([...dbArgs(ctx), "supervision", "letters", "--as", "jiancha", "--json"], as));
      if (rows.length !== 1 || rows[0].status !== "closed" || rows[0].number !== ctx.letter || rows[0].problems_rectified !== 1) {
        throw new Error(`letters: ${JSON.stringify(rows)}`);
      }
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const refused = await cli(
        [...dbArgs(ctx), "supervision", "feedback", rows[0].id, "--date", today, "--content", "补充反馈", "--as", "jiancha"],
        as,
      );
      if (refused.code === 0 || !refused.stderr.includes("已办结")) throw new Error(`feedback on a closed letter: ${JSON.stringify(refused)}`);
    }],
  ],

  cleanup: async () => {},
};
