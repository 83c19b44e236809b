// Scenario: key problems and analysis (重点问题目录, 综合分析; issue #19 item 4). 信访室 registers a
// complaint choosing its category from the catalogue's picker and sees it on the complaint page;
// 分管领导 opens 综合分析, generates the quarter's report (figures and the PDF's first page),
// screenshots at 1200×800 and 1920×1080, and saves it as PDF and as Word through the save dialog.
// The saved files must be a PDF and a Word package holding the count, and readable by the owner
// alone.
//
// The office, its accounts and two earlier complaints are made with the command-line program.

import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { cliOk, createOffice, dbArgs } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = {
  xinfang: { name: "王信访", role: "petitions", password: "Xinfang#2026" },
  lingdao: { name: "赵领导", role: "leader", password: "Lingdao#2026" },
};

function complaint(category, unit) {
  return {
    channel: "letter",
    received_at: new Date(Date.now() - 60_000).toISOString(),
    reporter: null,
    real_name: false,
    real_name_verified: null,
    summary: `反映${unit}有关问题`,
    content: `反映${unit}工作人员有关问题。`,
    categories: [category],
    subjects: [{ name: "某某", post: "科员", unit, level: "一般干部" }],
    repeat_of: null,
  };
}

export default {
  name: "analysis",

  before: (ctx) => [
    ["the office, its accounts and two complaints are made with the command-line program", async () => {
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
      ctx.downloads = path.join(ctx.tmp, "downloads");
      fs.mkdirSync(ctx.downloads, { recursive: true });
      for (const [i, [cat, unit]] of [["违规收送礼品礼金", "区测试局"], ["形式主义、官僚主义", "区测试局"]].entries()) {
        const file = path.join(ctx.tmp, `c${i}.json`);
        fs.writeFileSync(file, JSON.stringify(complaint(cat, unit)));
        await cliOk([...dbArgs(ctx), "complaint", "register", "--file", file, "--as", "xinfang", "--json"], { password: USERS.xinfang.password });
      }
    }],
  ],

  steps: (app, ctx) => [
    ["信访室 registers a complaint choosing 违规吃喝 from the catalogue", async () => {
      await app.find("login-username", 30_000);
      await app.login("xinfang", USERS.xinfang.password, USERS.xinfang.name);
      await app.click("nav-register");
      await app.click("reg-channel-letter");
      await app.click("reg-anonymous");
      await app.typeInto("reg-summary", "反映区测试局公款吃喝");
      await app.typeInto("reg-content", "区测试局多次用公款宴请。");
      await app.typeInto("reg-subject-name-0", "某甲");
      await app.typeInto("reg-subject-unit-0", "区测试局");
      await app.select("reg-categories", "违规吃喝");
      await app.click("reg-submit");
      const next = await app.wait("the complaint page or the repeat panel", async () =>
        (await app.shown("complaint-number")).length > 0 ? "page" : (await app.shown("reg-force-submit")).length > 0 ? "similar" : false,
      );
      if (next === "similar") await app.click("reg-force-submit");
      await app.find("complaint-number");
      await app.expectText("complaint-categories", "违规吃喝");
      await app.logout();
    }],
    ["分管领导 generates the quarter's comprehensive report with its figures and first page", async () => {
      await app.login("lingdao", USERS.lingdao.password, USERS.lingdao.name);
      await app.click("nav-analysis");
      await app.find("analysis-screen");
      await app.click("analysis-generate");
      await app.expectText("analysis-figures", "受理检举控告3件", "一、基本情况", "三、意见建议");
      await app.find("analysis-page");
      await app.shots("analysis");
    }],
    ["the report is saved as PDF and as Word, owner-readable, holding the count", async () => {
      for (const [button, title, name, magic] of [
        ["analysis-save-pdf", "另存为PDF", "report.pdf", "%PDF-"],
        ["analysis-save-docx", "另存为Word文档", "report.docx", "PK"],
      ]) {
        await app.click(button);
        const chosen = path.join(ctx.downloads, name);
        await app.answerFileDialog(title, chosen);
        await app.expectText("analysis-saved", chosen);
        const bytes = fs.readFileSync(chosen);
        if (!bytes.subarray(0, magic.length).equals(Buffer.from(magic))) throw new Error(`${chosen} does not start with ${magic}`);
        if ((fs.statSync(chosen).mode & 0o777) !== 0o600) throw new Error(`${chosen} is readable by others`);
      }
      const text = execFileSync("pdftotext", [path.join(ctx.downloads, "report.pdf"), "-"]).toString().replace(/\s/g, "");
      if (!text.includes("共受理检举控告3件")) throw new Error(`the PDF says ${text.slice(0, 400)}`);
      const xml = execFileSync("unzip", ["-p", path.join(ctx.downloads, "report.docx"), "word/document.xml"]).toString();
      if (!xml.includes("共受理检举控告3件")) throw new Error("the Word document lacks the count");
    }],
  ],

  after: () => [],
};
