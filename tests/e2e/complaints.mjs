// Scenario 2, a real-name complaint's main path through the window: 信访室 registers it, screens it
// (受理并移送 to 监督检查室) and tells the reporter it was accepted; 监督检查室 asks to dispose of it by
// 谈话函询; the leader approves; 监督检查室 records the reply, concludes and feeds the result back.
// Along the way: the deadlines a real-name complaint carries, the deadline board, and that the reporter's
// identity stays hidden from 监督检查室 and is shown to 信访室 only on asking, with a purpose.
//
// The office and its accounts are made with the command-line program first (as an administrator
// would), so the window is used only for the complaint itself. The database starts empty of
// complaints, so the check for repeats stays quiet and the path is the same every run.

import fs from "node:fs";
import path from "node:path";
import { cli, cliOk, createOffice, dbArgs, todayIso } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = {
  xinfang: { name: "王信访", role: "petitions", password: "Xinfang#2026" },
  jiancha: { name: "李监督", role: "supervision", password: "Jiancha#2026" },
  lingdao: { name: "周领导", role: "leader", password: "Lingdao#2026" },
};
const REPORTER = "李四";
const CONTACT = "13800001234";
const SUMMARY = "反映某局长王五违规收受工程款";
const CONTENT = "检举人反映：2026年9月，某县住建局局长王五在道路改造工程验收中，收受施工单位负责人所送现金5万元，并为其结算工程款提供便利。";
const RESULT = "经函询，问题基本属实，予以批评教育";
const DUE = /到期 \d{4}-\d{2}-\d{2}/;
const DONE = "已完成";

/** Switches the window to another account. */
async function loginAs(app, username) {
  await app.logout();
  await app.login(username, USERS[username].password, USERS[username].name);
}

/** Opens the complaint from 工作台, by its row in the to-do table; `task` is that row's task text. */
async function openFromInbox(app, ctx, task) {
  await app.click("nav-inbox");
  const row = await app.expectRow("inbox-row", ctx.number, task);
  await app.clickRow(row.el);
  await app.expectText("complaint-number", ctx.number);
}

/** Opens the complaint from 检举控告 by searching for the person it is about. */
async function openFromSearch(app, ctx) {
  await app.click("nav-complaints");
  await app.typeInto("list-text", "王五");
  await app.press("list-text", "\uE007");
  await app.expectText("list-count", "共 1 件");
  const row = await app.expectRow("list-row", ctx.number);
  await app.clickRow(row.el);
  await app.expectText("complaint-number", ctx.number);
}

/** The reporter must not appear anywhere in the window's text. */
async function expectReporterHidden(app, who) {
  const text = await app.pageText();
  for (const secret of [REPORTER, CONTACT]) {
    if (text.includes(secret)) throw new Error(`${who} sees ${JSON.stringify(secret)} on the complaint page`);
  }
}

export default {
  name: "complaints",

  before: (ctx) => [
    ["the office and its accounts are created with the command-line program", async () => {
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
    }],
  ],

  steps: (app, ctx) => [
    ["信访室 logs in to 工作台 with an empty to-do list", async () => {
      await app.find("login-username", 30_000);
      await app.login("xinfang", USERS.xinfang.password, USERS.xinfang.name);
      await app.expectText("home-roles", "信访室");
      await app.expectText("inbox", "暂无待办事项");
    }],
    ["信访室 registers a real-name letter and lands on its page with a 受理告知 deadline", async () => {
      await app.click("nav-register");
      await app.click("reg-channel-letter");
      const received = await app.valueOf(await app.find("reg-received-date"));
      if (received !== todayIso()) throw new Error(`收到日期 defaults to ${JSON.stringify(received)}, not today ${todayIso()}`);
      await app.typeInto("reg-reporter-name", REPORTER);
      await app.typeInto("reg-reporter-contact", CONTACT);
      await app.click("reg-real-name");
      await app.typeInto("reg-summary", SUMMARY);
      await app.typeInto("reg-content", CONTENT);
      await app.typeInto("reg-subject-name-0", "王五");
      await app.typeInto("reg-subject-post-0", "局长");
      await app.typeInto("reg-subject-unit-0", "某县住建局");
      await app.click("reg-submit");
      // On an office with no earlier complaints nothing should look like a repeat; if something does,
      // register anyway, as the officer would after checking.
      const next = await app.wait("the complaint page or the repeat panel", async () =>
        (await app.shown("complaint-number")).length > 0 ? "page" : (await app.shown("reg-force-submit")).length > 0 ? "similar" : false,
      );
      if (next === "similar") await app.click("reg-force-submit");
      ctx.number = (await app.expectText("complaint-number", "530102-")).trim();
      if (!/^530102-\d{4}-\d{5}$/.test(ctx.number)) throw new Error(`number is ${JSON.stringify(ctx.number)}`);
      await app.expectText("complaint-status", "待筛选");
      await app.expectRow("deadline-row", "受理告知", DUE, "15 个工作日");
      await app.expectText("complaint-reporter", "身份已屏蔽");
      await app.expectText("complaint-subjects", "王五", "局长", "某县住建局");
      await app.screenshot("complaint-registered.png");
    }],
    ["信访室 attaches the scanned letter through the platform's open dialog", async () => {
      const scan = path.join(ctx.tmp, "letter-scan.pdf");
      fs.writeFileSync(scan, "%PDF-1.4\n% a scanned letter\n%%EOF\n");
      await app.click("attachment-add");
      await app.answerFileDialog("选择要添加的附件", scan, "open");
      await app.expectRow("attachment-row", "letter-scan.pdf", "PDF");
    }],
    ["信访室 accepts it and transfers it to 监督检查室", async () => {
      await app.click("action-screen");
      await app.select("screen-outcome", "accept_transfer");
      const department = await app.textOf(await app.find("screen-department"));
      if (!department.includes("监督检查室")) await app.select("screen-department", "supervision");
      await app.expectText("screen-department", "监督检查室");
      await app.typeInto("screen-reason", "反映问题具体，属本机关管辖，移送监督检查室办理");
      await app.submitModal();
      await app.expectText("complaint-status", "已移送承办部门");
      await app.expectText("complaint-timeline", "受理并移送", "监督检查室");
      await app.expectText("complaint-handling", "受理并移送");
    }],
    ["信访室 records telling the reporter; the 受理告知 deadline is done", async () => {
      await app.click("action-notify_acceptance");
      const date = await app.valueOf(await app.find("dated-date"));
      if (date !== todayIso()) throw new Error(`告知日期 defaults to ${JSON.stringify(date)}, not today`);
      await app.typeInto("dated-note", "电话告知");
      await app.submitModal();
      await app.expectRow("deadline-row", "受理告知", DONE, `完成于 ${todayIso()}`);
      await app.expectText("complaint-timeline", "已告知检举人受理");
    }],
    ["监督检查室 finds it in 工作台 and asks to dispose of it by 谈话函询", async () => {
      await loginAs(app, "jiancha");
      await openFromInbox(app, ctx, "待处置：经集体研究提出处置意见");
      await app.click("action-request_disposal");
      await app.select("disposal-method", "inquiry");
      const letter = await app.valueOf(await app.find("disposal-letter-date"));
      if (letter !== todayIso()) throw new Error(`函询函发出日期 defaults to ${JSON.stringify(letter)}, not today`);
      await app.typeInto("disposal-reason", "经室务会集体研究，拟对王五进行函询");
      await app.submitModal();
      await app.expectText("complaint-approvals", "待审批");
      await app.expectText("complaint-timeline", "提请领导审批");
    }],
    ["监督检查室 cannot approve its own request and does not see the reporter", async () => {
      await app.absent("action-decide_approval", "to 监督检查室");
      await app.absent("action-reveal_reporter", "to 监督检查室");
      await app.expectText("complaint-reporter", "身份已屏蔽");
      await expectReporterHidden(app, "监督检查室");
    }],
    ["分管领导 sees it as an approval asked by 李监督 in 工作台 and approves; the 函询回复 deadline starts", async () => {
      await loginAs(app, "lingdao");
      await openFromInbox(app, ctx, "审批：谈话函询（李监督提请）");
      await app.click("action-decide_approval");
      await app.expectText("decide-approval", "谈话函询", "李监督");
      await app.typeInto("decide-comment", "同意函询");
      await app.click("decide-grant");
      await app.waitModalClosed("decide-grant");
      await app.expectText("complaint-status", "谈话函询中");
      await app.expectText("complaint-approvals", "已同意");
      await app.expectRow("deadline-row", "函询回复", DUE, "剩");
      await app.expectText("complaint-handling", "谈话函询");
      await app.screenshot("complaint-approved.png");
    }],
    ["监督检查室 records the reply and concludes; the 结果反馈 deadline starts", async () => {
      await loginAs(app, "jiancha");
      await openFromInbox(app, ctx, "谈话函询：记录函询回复");
      await app.click("action-record_inquiry_reply");
      const date = await app.valueOf(await app.find("dated-date"));
      if (date !== todayIso()) throw new Error(`收到回复日期 defaults to ${JSON.stringify(date)}, not today`);
      await app.typeInto("dated-note", "王五书面回复，承认收受现金并已退还");
      await app.submitModal();
      await app.expectText("complaint-timeline", "收到函询回复");
      await app.expectRow("deadline-row", "函询回复", DONE);
      await app.click("action-conclude");
      const concluded = await app.valueOf(await app.find("conclude-date"));
      if (concluded !== todayIso()) throw new Error(`办结日期 defaults to ${JSON.stringify(concluded)}, not today`);
      await app.typeInto("conclude-result", RESULT);
      await app.submitModal();
      await app.expectText("complaint-status", "已办结");
      await app.expectText("complaint-handling", RESULT);
      await app.expectRow("deadline-row", "结果反馈", DUE, "15 个工作日", "剩");
    }],
    ["监督检查室 records the feedback; the 结果反馈 deadline is done", async () => {
      await app.click("action-record_feedback");
      await app.typeInto("dated-note", "电话向检举人反馈办理结果");
      await app.submitModal();
      await app.expectRow("deadline-row", "结果反馈", DONE, `完成于 ${todayIso()}`);
      await app.expectText("complaint-timeline", "已向检举人反馈办理结果");
      await app.screenshot("complaint-concluded.png");
    }],
    ["期限看板 shows its red, yellow and green counts, none of them this complaint's", async () => {
      await app.click("nav-dashboard");
      await app.find("page-dashboard");
      await app.expectText("dash-red", "已逾期", /\d+\s*项/);
      await app.expectText("dash-yellow", "临近", /\d+\s*项/);
      await app.expectText("dash-green", "正常", /\d+\s*项/);
      // Every deadline of the complaint is done, so none of its deadlines is on the board (the office
      // may have deadlines of its own, such as quarterly reports).
      for (const row of await app.shown("dash-row")) {
        const text = await app.textOf(row);
        if (text.includes(ctx.number)) throw new Error(`the board still lists ${JSON.stringify(text)}`);
      }
      await app.screenshot("dashboard.png");
    }],
    ["监督检查室 finds it by searching 王五 and still sees the reporter masked", async () => {
      await openFromSearch(app, ctx);
      await app.expectText("complaint-status", "已办结");
      await app.expectText("complaint-reporter", "身份已屏蔽");
      await app.absent("action-reveal_reporter", "to 监督检查室");
      await expectReporterHidden(app, "监督检查室");
    }],
    ["信访室 sees the reporter only through 查看身份 with a purpose, and the viewing is logged", async () => {
      await loginAs(app, "xinfang");
      await openFromSearch(app, ctx);
      await expectReporterHidden(app, "信访室 before 查看身份");
      await app.click("action-reveal_reporter");
      await app.expectText("reveal-notice", "查看记录已留痕");
      // Without a purpose nothing is shown.
      await app.click("modal-submit");
      await app.wait("the purpose to be asked for", async () => (await app.pageText()).includes("请填写查看事由"));
      if ((await app.shown("reveal-identity")).length > 0) throw new Error("the identity is shown without a purpose");
      await app.typeInto("reveal-purpose", "核对检举人联系方式，准备反馈办理结果");
      await app.click("modal-submit");
      await app.expectText("reveal-identity", REPORTER, CONTACT);
      await app.expectText("reveal-notice", "本次查看已记入时间线");
      await app.screenshot("reveal.png");
      await app.click("reveal-close");
      await app.waitGone("reveal-identity");
      await app.expectText("complaint-timeline", "查看检举人身份，事由：核对检举人联系方式");
      await expectReporterHidden(app, "信访室 after closing 查看身份");
    }],
  ],

  // After the window is closed: the event log is intact and the command-line program agrees on the end state.
  after: (ctx) => [
    ["the event log verifies (qingfeng events verify)", async () => {
      const out = JSON.parse(await cliOk([...dbArgs(ctx), "events", "verify", "--json"]));
      if (out.ok !== true) throw new Error(`events verify says ${JSON.stringify(out)}`);
    }],
    ["the command-line program shows the complaint concluded, reporter masked", async () => {
      const r = await cli([...dbArgs(ctx), "complaint", "show", ctx.number, "--json", "--as", "xinfang"], { password: USERS.xinfang.password });
      if (r.code !== 0) throw new Error(`complaint show exited with ${r.code}: ${r.stderr.trim()}`);
      const d = JSON.parse(r.stdout);
      const status = d.status ?? d.summary?.status;
      if (status !== "concluded") throw new Error(`status is ${JSON.stringify(status)}`);
      if (r.stdout.includes(REPORTER) || r.stdout.includes(CONTACT)) throw new Error("complaint show prints the reporter");
      const open = d.deadlines.filter((x) => x.status === "open").map((x) => x.kind);
      if (open.length > 0) throw new Error(`deadlines still open: ${open.join(", ")}`);
    }],
  ],
};
