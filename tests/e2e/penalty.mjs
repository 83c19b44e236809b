// Scenario 3, a penalty decision's first execution step through the window: 案件监督管理室 enters the
// decision (the items are generated, the first opens), submits item 1 with a note; it cannot review
// its own item; 案件审理室 finds it in 执行审核, approves it, and the next item opens. The board shows
// the decision with its current item.

import { createOffice, todayIso } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = {
  anguan: { name: "陈案管", role: "case_management", password: "Anguan#2026" },
  shenli: { name: "刘审理", role: "trial", password: "Shenli#2026" },
};
const NUMBER = "五纪处〔2026〕9号";

export default {
  name: "penalty",

  before: (ctx) => [
    ["the office, 案件监督管理室 and 案件审理室 are created with the command-line program", async () => {
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
    }],
  ],

  steps: (app) => [
    ["案件监督管理室 enters a decision and lands on its execution page, item 1 open", async () => {
      await app.find("login-username", 30_000);
      await app.login("anguan", USERS.anguan.password, USERS.anguan.name);
      await app.click("nav-penalty-register");
      await app.typeInto("pen-name", "李四");
      await app.typeInto("pen-unit", "五华区教育局");
      await app.typeInto("pen-post", "副局长");
      await app.typeInto("pen-number", NUMBER);
      await app.typeInto("pen-body", "中共五华区纪律检查委员会");
      await app.select("pen-party", "serious_warning");
      await app.typeInto("pen-decision-date", todayIso());
      await app.press("pen-decision-date", "\uE007");
      await app.typeInto("pen-approval-date", todayIso());
      await app.press("pen-approval-date", "\uE007");
      await app.typeInto("pen-units", "五华区教育局党组");
      await app.typeInto("pen-confiscate", "1200.50");
      await app.click("pen-save");
      await app.expectText("penalty-number", NUMBER);
      await app.expectText("item-title", "1.", "送达");
      await app.expectText("item-status", "待办理");
      await app.screenshot("penalty-registered.png");
    }],
    ["案件监督管理室 submits item 1; it awaits review and is not offered to them for review", async () => {
      await app.typeInto("submit-note", "已于今日向本人送达处分决定，本人签收。");
      await app.click("submit-item");
      await app.expectText("item-status", "待审核");
      await app.absent("review-card", "案件监督管理室 does not review");
    }],
    ["案件审理室 approves it from 执行审核 and item 2 opens", async () => {
      await app.logout();
      await app.login("shenli", USERS.shenli.password, USERS.shenli.name);
      await app.click("nav-penalty-queue");
      const row = await app.expectRow("queue-row", "送达");
      await app.clickRow(row.el);
      await app.typeInto("review-note", "送达手续齐全。");
      await app.click("review-approve");
      await app.expectText("item-title", "2.", "宣布");
      await app.expectText("item-status", "待办理");
      await app.screenshot("penalty-approved.png");
    }],
    ["the board shows the decision at item 2", async () => {
      await app.click("nav-penalty-board");
      await app.expectRow("board-row", NUMBER, "2.", "1/");
      await app.screenshot("penalty-board.png");
    }],
  ],

  after: () => [],
};
