// Scenario 3, a penalty decision's execution through the window: 案件监督管理室 enters the decision
// (the items are generated, the first opens), submits item 1 with a note; it cannot review its own
// item; 案件审理室 finds it in 执行审核, approves it, and the next item opens. Item 2 is rejected with a
// note, corrected and approved. At the confiscation item a partial payment shows what remains, an
// overpayment is refused, and the item is approved only once paid in full. The board follows along.
// Then reform by case (以案促改): the decision starts its list and 案件审理室 guides the first task.

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

  steps: (app) => {
    /** Logs out whoever is in and logs the given account in. */
    const as = async (user) => {
      await app.logout();
      await app.login(user, USERS[user].password, USERS[user].name);
    };
    /** Opens the decision's execution page from the board. */
    const openDecision = async () => {
      await app.click("nav-penalty-board");
      const row = await app.expectRow("board-row", NUMBER);
      await app.clickRow(row.el);
      await app.expectText("penalty-number", NUMBER);
    };
    /** Approves the current item with a note and waits for the next one to open. */
    const approve = async (note) => {
      const before = await app.textOf(await app.find("item-title"));
      await app.typeInto("review-note", note);
      await app.click("review-approve");
      await app.wait("the next item to open", async () => (await app.textOf(await app.find("item-title", 2_000))) !== before);
    };
    return [
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
    ["案件审理室 rejects item 2 with a note; 案件监督管理室 sees the note and resubmits it", async () => {
      await as("anguan");
      await openDecision();
      await app.expectText("item-title", "2.", "宣布");
      await app.typeInto("submit-note", "已宣布。");
      await app.click("submit-item");
      await app.expectText("item-status", "待审核");
      await as("shenli");
      await openDecision();
      await app.typeInto("review-note", "未附宣布记录，请补充宣布时间、地点和参加人员。");
      await app.click("review-reject");
      await app.expectText("item-status", "已驳回");
      await as("anguan");
      await openDecision();
      await app.expectText("item-rejected", "第 1 次", "未附宣布记录");
      await app.screenshot("penalty-rejected.png");
      await app.typeInto("submit-note", "已于今日在教育局党组会上宣布，附宣布记录。");
      await app.click("submit-item");
      await app.expectText("item-status", "待审核");
    }],
    ["案件审理室 approves the corrected item 2, then items 3 and 4 pass in turn", async () => {
      await as("shenli");
      await openDecision();
      await approve("宣布记录齐全。");
      await app.expectText("item-title", "3.");
      for (const n of ["3.", "4."]) {
        await as("anguan");
        await openDecision();
        await app.expectText("item-title", n);
        await app.typeInto("submit-note", "已办理，材料附后。");
        await app.click("submit-item");
        await app.expectText("item-status", "待审核");
        await as("shenli");
        await openDecision();
        await approve("同意。");
      }
      await app.expectText("item-title", "5.", "收缴");
    }],
    ["at the confiscation item a partial payment shows what remains, an overpayment is refused, and submitting waits for full payment", async () => {
      await as("anguan");
      await openDecision();
      await app.expectText("amount-due", "1200.50 元");
      await app.typeInto("pay-amount", "200");
      await app.typeInto("pay-note", "票据 0001");
      await app.click("pay-submit");
      await app.expectText("amount-paid", "200.00 元");
      await app.expectText("amount-remaining", "1000.50 元");
      await app.screenshot("penalty-partial-payment.png");
      await app.typeInto("pay-amount", "2000");
      await app.click("pay-submit");
      await app.expectText("pay-error", "超出尚未缴清的金额", "尚余 1000.50 元");
      await app.expectText("amount-remaining", "1000.50 元");
      await app.typeInto("submit-note", "已收缴部分。");
      await app.click("submit-item");
      await app.expectText("submit-error", "未缴清");
      await app.expectText("item-status", "待办理");
    }],
    ["paid in full, item 5 is submitted and approved, and item 6 opens; the board shows 5 done", async () => {
      await app.typeInto("pay-amount", "1000.50");
      await app.typeInto("pay-note", "票据 0002");
      await app.click("pay-submit");
      await app.expectText("amount-remaining", "0.00 元");
      await app.click("submit-item");
      await app.expectText("item-status", "待审核");
      await as("shenli");
      await openDecision();
      await approve("已全额收缴。");
      await app.expectText("item-title", "6.");
      await app.click("nav-penalty-board");
      await app.expectRow("board-row", NUMBER, "6.", "5/");
      await app.screenshot("penalty-board-item6.png");
    }],
    ["案件监督管理室 starts 以案促改 from the decision; 案件审理室 guides its first task, which the list then shows", async () => {
      await as("anguan");
      await openDecision();
      await app.click("reform-start");
      const due = new Date(Date.now() + (8 + 24 * 90) * 3600_000).toISOString().slice(0, 10);
      await app.typeInto("reform-due", due);
      await app.press("reform-due", "\uE007");
      await app.click("reform-confirm");
      await app.expectText("rect-title", "李四以案促改", NUMBER);
      await app.expectText("reform-of", NUMBER, "五华区教育局");
      await app.expectText("item-title", "1. 召开案情通报会");
      await as("shenli");
      await openDecision();
      await app.expectText("reform-progress", "已完成 0 / 5 项");
      await app.shots("reform-card");
      await app.click("reform-link");
      await app.typeInto("guide-text", "警示教育要用身边案例，通报到每个股室。");
      await app.click("guide-submit");
      await app.expectText("item-guidance", "刘审理", "警示教育要用身边案例");
      await app.expectText("item-status", "待办理");
      await app.shots("reform-guidance");
      // 执行统计 counts the reform list and its guidance, for rectification lists.
      await app.click("nav-penalty-stats");
      await app.click("stats-scope-rectification");
      await app.expectText("stats-reform-lists", "1");
      await app.expectText("stats-guidance", "1");
      await app.shots("reform-stats");
    }],
  ];
  },

  after: () => [],
};
