// Scenario 5, the notice template, the reference library and a notice from preview to printer: the
// administrator opens 文书模板, changes a paragraph of 受理告知书 through the form (no template text,
// braces or field names on screen), sees the preview redrawn and saves it as version 2; 信访室 searches 资料袋 and
// reads an article, cites it on an accepted real-name complaint, opens 制作受理告知书, previews the
// pages (no number), issues it (the next number), prints it on a real CUPS printer (a private cupsd
// with the cups-pdf printer, which writes each job as a PDF), saves the PDF, finds it in 发文登记 and
// saves it again from there. Afterwards the command line must list the one notice, and both saved
// files must be the stored bytes whose hash the `document.issued` event carries.
//
// The office, its accounts and the accepted complaint are made with the command-line program, so
// the window is used only for the library and the notice.

import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cliOk, createOffice, dbArgs, sleep, waitFor } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = {
  xinfang: { name: "王信访", role: "petitions", password: "Xinfang#2026" },
  jiancha: { name: "李监督", role: "supervision", password: "Jiancha#2026" },
};
const REPORTER = "孔检举";
const SUBJECT = "吴测试";
const PRINTER = "QF_PDF";
// cups-pdf writes each job to `Out ${HOME}/PDF` of the job's user (/etc/cups/cups-pdf.conf).
const CUPS_PDF_OUT = path.join(os.homedir(), "PDF");

// The template editor is looked at in both window sizes officers use.
const TEMPLATE_SIZES = [
  [1200, 800],
  [1920, 1080],
];
const CHANGED_PARAGRAPH = "我委将对你的个人信息和检举控告内容严格保密（本段经模板表单修改）。";

// The words 文书模板 shows an officer: the page's text and what its text boxes hold.
const SHOWN_TEMPLATE_TEXT = `const page = document.querySelector('[data-testid="page-notice-templates"]');
  return page.innerText + " " + [...page.querySelectorAll("input:not([type=checkbox]):not([type=radio]), textarea")].map((e) => e.value).join(" ");`;

/** Fails when 文书模板 shows a Latin letter or a brace anywhere in its text or its text boxes. */
async function noDeveloperText(app) {
  const shown = await app.script(SHOWN_TEMPLATE_TEXT);
  const bad = /[A-Za-z{}]/.exec(shown);
  if (bad) throw new Error(`文书模板 shows developer text (${JSON.stringify(bad[0])}) in ${JSON.stringify(shown.slice(Math.max(0, bad.index - 40), bad.index + 40))}`);
}

/** The first preview page's image data, or "" while there is none. */
const previewSource = (app) =>
  app.script(`return document.querySelector('[data-testid="template-preview-page"]')?.getAttribute("src") ?? "";`);

const sha256 = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
// Notices are dated in Beijing time (the program's business zone), whatever the machine's zone.
const year = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

/** Registers a real-name complaint and accepts it as 信访室, with the command-line program; returns its number. */
async function acceptedComplaint(ctx) {
  const form = {
    channel: "visit",
    received_at: new Date(Date.now() - 60_000).toISOString(),
    reporter: { name: REPORTER, unit: null, contact: "13900001111", address: "某路1号" },
    real_name: true,
    real_name_verified: "in_person",
    summary: "反映某所所长吴测试违规收费",
    content: "吴测试违规收取办证费用。",
    categories: ["违反群众纪律"],
    subjects: [{ name: SUBJECT, post: "所长", unit: "区测试所", level: "一般干部" }],
    repeat_of: null,
  };
  const file = path.join(ctx.tmp, "form.json");
  fs.writeFileSync(file, JSON.stringify(form));
  const as = { password: USERS.xinfang.password };
  const registered = JSON.parse(await cliOk([...dbArgs(ctx), "complaint", "register", "--file", file, "--as", "xinfang", "--json"], as));
  await cliOk(
    [...dbArgs(ctx), "complaint", "transition", registered.number, "screen", "--outcome", "accept_transfer", "--department", "supervision", "--reason", "首次反映", "--as", "xinfang", "--json"],
    as,
  );
  return registered.number;
}

/**
 * Starts a private CUPS scheduler on a socket inside the scenario's directory, with the cups-pdf
 * printer as its default; the program is pointed at it with CUPS_SERVER, so the machine's own
 * printers (if any) are neither used nor touched.
 */
async function startCupsd(ctx) {
  for (const need of ["/usr/sbin/cupsd", "/usr/sbin/lpadmin", "/usr/lib/cups/backend/cups-pdf"]) {
    if (!fs.existsSync(need)) throw new Error(`${need} is missing (cargo xtask setup installs cups, cups-client, cups-bsd and printer-driver-cups-pdf)`);
  }
  const d = path.join(ctx.tmp, "cups");
  for (const sub of ["etc/ppd", "spool", "tmp", "state", "cache"]) fs.mkdirSync(path.join(d, sub), { recursive: true });
  // Filters run as the unprivileged `lp` user and must reach the spool inside this directory.
  fs.chmodSync(ctx.tmp, 0o755);
  fs.chmodSync(d, 0o755);
  // The filters (pdftops) write their temporary files here as `lp`; without write access the job
  // stops with "Unable to copy PDF file" and cups-pdf writes an empty page.
  fs.chmodSync(path.join(d, "tmp"), 0o1777);
  const socket = path.join(d, "cups.sock");
  const allow = "Order allow,deny\n  Allow all";
  fs.writeFileSync(
    path.join(d, "cupsd.conf"),
    `Listen ${socket}\nLogLevel warn\nWebInterface No\nBrowsing No\n<Location />\n  ${allow}\n</Location>\n<Location /admin>\n  ${allow}\n</Location>\n`,
  );
  const p = (s) => path.join(d, s);
  fs.writeFileSync(
    path.join(d, "cups-files.conf"),
    `ServerRoot ${p("etc")}\nRequestRoot ${p("spool")}\nTempDir ${p("tmp")}\nStateDir ${p("state")}\nCacheDir ${p("cache")}\nErrorLog ${p("error_log")}\nAccessLog ${p("access_log")}\nPageLog ${p("page_log")}\n`,
  );
  const child = spawn("/usr/sbin/cupsd", ["-f", "-c", p("cupsd.conf"), "-s", p("cups-files.conf")], { stdio: "ignore" });
  ctx.cupsd = child;
  await waitFor("cupsd to open its socket", () => fs.existsSync(socket), 10_000);
  const env = { ...process.env, CUPS_SERVER: socket };
  for (const args of [["-p", PRINTER, "-v", "cups-pdf:/", "-E", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"], ["-d", PRINTER]]) {
    const r = spawnSync("/usr/sbin/lpadmin", args, { env, encoding: "utf8", timeout: 15_000 });
    if (r.status !== 0) throw new Error(`lpadmin ${args.join(" ")}: ${r.stderr || r.error}`);
  }
  return socket;
}

function stopCupsd(ctx) {
  if (ctx.cupsd && ctx.cupsd.exitCode === null && ctx.cupsd.signalCode === null) process.kill(ctx.cupsd.pid, "SIGKILL");
}

/** The text of a PDF without white space (pdftotext from poppler-utils). */
function pdfText(file) {
  const r = spawnSync("pdftotext", [file, "-"], { encoding: "utf8", timeout: 15_000 });
  if (r.status !== 0) throw new Error(`pdftotext ${file}: ${r.stderr || r.error}`);
  return r.stdout.replace(/\s+/g, "");
}

/** A PDF's first page in grey at 30 dpi (pdftoppm's PGM): {w, h, pixels}. */
function greyPage(file) {
  const r = spawnSync("pdftoppm", ["-r", "30", "-gray", "-f", "1", "-l", "1", file], { timeout: 15_000 });
  if (r.status !== 0) throw new Error(`pdftoppm ${file}: ${r.stderr}`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(r.stdout.subarray(0, 40).toString("latin1"));
  if (!header) throw new Error(`pdftoppm ${file} wrote no PGM`);
  const [w, h] = [Number(header[1]), Number(header[2])];
  return { w, h, pixels: r.stdout.subarray(header[0].length) };
}

/**
 * Whether two pages look alike: about as much ink (pixels darker than light grey), and a small mean
 * grey difference over the area both cover (CUPS may re-fit the page by a pixel).
 */
function looksAlike(a, b) {
  const ink = (p) => p.pixels.reduce((n, v) => n + (v < 200 ? 1 : 0), 0);
  const [w, h] = [Math.min(a.w, b.w), Math.min(a.h, b.h)];
  let total = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) total += Math.abs(a.pixels[y * a.w + x] - b.pixels[y * b.w + x]);
  return { inkA: ink(a), inkB: ink(b), meanDifference: total / (w * h) };
}

/**
 * Clicks 另存为PDF in the shown print panel, answers the platform's save dialog with `name` in the
 * scenario's folder, and returns the path the program says it saved to (which must be that one).
 */
async function savePdf(app, ctx, name) {
  await app.click("notice-save-pdf");
  const chosen = path.join(ctx.downloads, name);
  await app.answerFileDialog("另存为PDF", chosen);
  const text = await app.expectText("print-result", "已保存为PDF：");
  const saved = text.split("已保存为PDF：")[1].trim();
  if (saved !== chosen) throw new Error(`saved to ${saved}, not where the dialog said: ${chosen}`);
  if (!fs.readFileSync(saved).subarray(0, 5).equals(Buffer.from("%PDF-"))) throw new Error(`${saved} is not a PDF`);
  if ((fs.statSync(saved).mode & 0o777) !== 0o600) throw new Error(`${saved} is readable by others`);
  return saved;
}

export default {
  name: "notices",

  before: (ctx) => [
    ["the office, its accounts and an accepted real-name complaint are made with the command-line program", async () => {
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
      ctx.complaint = await acceptedComplaint(ctx);
    }],
    ["a private CUPS scheduler runs with the cups-pdf printer as its default", async () => {
      const socket = await startCupsd(ctx);
      // The program's Downloads folder (XDG user dirs), where its save dialogs open, is the
      // scenario's own, so saved PDFs are found and removed.
      ctx.downloads = path.join(ctx.tmp, "downloads");
      const config = path.join(ctx.tmp, "config");
      fs.mkdirSync(ctx.downloads, { recursive: true });
      fs.mkdirSync(config, { recursive: true });
      fs.writeFileSync(path.join(config, "user-dirs.dirs"), `XDG_DOWNLOAD_DIR="${ctx.downloads}"\n`);
      ctx.appEnv = { CUPS_SERVER: socket, XDG_CONFIG_HOME: config };
      ctx.printedSince = Date.now() - 1_000;
    }],
  ],

  steps: (app, ctx) => [
    ["the administrator opens 文书模板: 受理告知书 as a form in Chinese, with its preview", async () => {
      await app.find("login-username", 30_000);
      await app.login("admin", ADMIN_PASSWORD, "张管理");
      await app.click("nav-notice-templates");
      await app.select("template-kind", "acceptance");
      await app.select("template-version", "1");
      await app.expectText("template-form", "正文", "需要填写的字段", "在正文后印发文机关、日期和盖章位置");
      const first = await app.find("template-paragraph-1");
      const words = await app.valueOf(first);
      if (!words.includes("【收到日期】") || !words.includes("【反映方式】")) throw new Error(`the first paragraph reads ${JSON.stringify(words)}`);
      await app.find("template-preview-page");
      ctx.previewBefore = await previewSource(app);
      for (const size of TEMPLATE_SIZES) {
        await app.setSize(...size);
        await app.screenshot(`templates-${size[0]}x${size[1]}.png`);
      }
      await app.setSize(...TEMPLATE_SIZES[0]);
      await noDeveloperText(app);
      // A template with a table (the receipt) shows its cells as boxes too.
      await app.select("template-kind", "service_receipt");
      await app.find("template-cell");
      await app.expectText("template-form", "送达文书");
      const receipt = await app.wait("the receipt's preview", async () => {
        const now = await previewSource(app);
        return now !== "" && now !== ctx.previewBefore && now;
      }, 30_000);
      await app.screenshot("templates-table-1200x800.png");
      await noDeveloperText(app);
      await app.select("template-kind", "acceptance");
      await app.expectText("template-form", "需要填写的字段", "检举控告人");
      ctx.previewBefore = await app.wait("the preview of 受理告知书 again", async () => {
        const now = await previewSource(app);
        return now !== "" && now !== receipt && now;
      }, 30_000);
    }],
    ["a paragraph changed through the form redraws the preview; 保存 asks, naming 第 2 版, then saves it", async () => {
      await app.typeInto("template-paragraph-2", CHANGED_PARAGRAPH);
      await app.wait("the preview to be redrawn from the changed paragraph", async () => {
        const now = await previewSource(app);
        return now !== "" && now !== ctx.previewBefore;
      }, 30_000);
      await app.click("template-save");
      await app.expectText("template-save-ask", "将保存为“受理告知书”第 2 版");
      await app.screenshot("templates-confirm.png");
      await app.click("template-save-confirm");
      await app.expectText("template-saved", "已保存“受理告知书”第 2 版");
      await app.expectText("template-version", "第2版（使用中）");
      await app.screenshot("templates-saved.png");
    }],
    ["导出 writes version 2's template file through the save dialog; 导入 opens it again as an unsaved form", async () => {
      // xdotool types only ASCII reliably into GTK's file chooser, so the test's file name is ASCII.
      const file = path.join(ctx.downloads, "acceptance-v2.toml");
      await app.click("template-export");
      await app.answerFileDialog("导出文书模板", file);
      await app.expectText("template-saved", "已导出为“acceptance-v2.toml”");
      const text = fs.readFileSync(file, "utf8");
      if (!text.includes('kind = "acceptance"') || !text.includes("version = 2") || !text.includes(CHANGED_PARAGRAPH)) {
        throw new Error(`the exported file reads ${JSON.stringify(text.slice(0, 300))}`);
      }
      if ((fs.statSync(file).mode & 0o777) !== 0o600) throw new Error(`${file} is readable by others`);
      await app.click("template-import");
      await app.answerFileDialog("导入文书模板", file, "open");
      await app.expectText("template-saved", "已导入“受理告知书”模板");
      const second = await app.valueOf(await app.find("template-paragraph-2"));
      if (second !== CHANGED_PARAGRAPH) throw new Error(`the imported second paragraph reads ${JSON.stringify(second)}`);
      await app.logout();
    }],
    ["信访室 logs in and searches 资料袋; the match is highlighted and the article opens in the reader", async () => {
      await app.login("xinfang", USERS.xinfang.password, USERS.xinfang.name);
      await app.click("nav-library");
      await app.typeInto("library-search", "记大过");
      await app.press("library-search", "\uE007");
      await app.expectRow("library-hit", "第八条", "记大过，十八个月");
      const hits = (await app.shown("library-hit")).length;
      if (hits !== 2) throw new Error(`${hits} hits for 记大过, not 2 (第七条 and 第八条)`);
      await app.find("hit-mark");
      await app.click("hit-read");
      await app.expectText("reader-title", "中华人民共和国公职人员政务处分法");
      await app.expectRow("reader-article", "第七条");
      await app.screenshot("library.png");
    }],
    ["on the complaint's page 信访室 cites an article; the citation shows with its note", async () => {
      await app.click("nav-complaints");
      const row = await app.expectRow("list-row", ctx.complaint);
      await app.clickRow(row.el);
      await app.expectText("complaint-number", ctx.complaint);
      await app.click("cite-open");
      await app.typeInto("cite-note", "受理依据");
      await app.typeInto("cite-search", "十八个月");
      await app.press("cite-search", "\uE007");
      await app.expectRow("cite-hit", "政务处分法");
      await app.click("cite-choose");
      await app.waitGone("cite-modal");
      await app.expectRow("citation", "政务处分法", "第八条", "说明：受理依据");
    }],
    ["the page offers 受理告知书 and not 处理结果反馈 (the complaint is not concluded)", async () => {
      await app.find("notice-open-acceptance");
      await app.absent("notice-open-result_feedback", "before the complaint is concluded");
    }],
    ["制作受理告知书 shows the fields from the record and a preview of the pages without a number", async () => {
      await app.click("notice-open-acceptance");
      await app.expectText("notice-locked", REPORTER);
      await app.click("notice-preview-button");
      ctx.number = `五纪受〔${year()}〕1号`;
      await app.expectText("notice-preview", "预览（未编号）", `下一个文号为 ${ctx.number}`);
      const [page] = await app.shown("notice-page");
      const width = await app.script("return arguments[0].complete ? arguments[0].naturalWidth : 0;", [app.ref(page)]);
      if (!(width > 500)) throw new Error(`the preview page image is ${width} pixels wide`);
      await app.screenshot("notice-preview.png");
    }],
    ["签发 asks first, naming the number; once confirmed it takes that number and offers 打印 and 另存为PDF", async () => {
      await app.click("notice-issue");
      await app.expectText("notice-issue-ask", `签发后将使用文号 ${ctx.number}`);
      await app.screenshot("notice-confirm.png");
      await app.click("notice-issue-confirm");
      await app.expectText("notice-issued", `已签发 ${ctx.number}`, "受理告知书");
      await app.expectText("printer-select", `${PRINTER}（默认）`);
      await app.screenshot("notice-issued.png");
    }],
    ["打印 sends it to the default printer; cups-pdf writes the job and the panel says it printed", async () => {
      await app.click("notice-print");
      const text = await app.expectText("print-result", `已送打印机“${PRINTER}”`, "作业", "正在打印");
      const job = /作业 ([^）]+)）/.exec(text)?.[1] ?? "";
      const n = job.split("-").pop();
      if (!job.startsWith(`${PRINTER}-`) || !/^\d+$/.test(n)) throw new Error(`the job is ${JSON.stringify(job)}`);
      // cups-pdf names its file <user>_<title>_job_<n>.pdf; it takes a few seconds through Ghostscript.
      const printed = await waitFor(`cups-pdf's file for job ${n} in ${CUPS_PDF_OUT}`, () => {
        const hit = (fs.existsSync(CUPS_PDF_OUT) ? fs.readdirSync(CUPS_PDF_OUT) : [])
          .map((name) => path.join(CUPS_PDF_OUT, name))
          .find((f) => f.endsWith(`job_${n}.pdf`) && fs.statSync(f).mtimeMs >= ctx.printedSince && fs.statSync(f).size > 0);
        return hit;
      }, 60_000);
      ctx.printed = printed;
      // The panel follows the job until CUPS lists it as completed.
      await app.wait("the print panel to say the job printed", async () => (await app.textOf(await app.find("print-result", 2_000))).includes(`已打印完成（作业 ${job}）`), 45_000);
      await app.screenshot("notice-printed.png");
    }],
    ["另存为PDF saves the stored PDF, and the printed page looks like it", async () => {
      ctx.savedAtIssue = await savePdf(app, ctx, "notice-at-issue.pdf");
      // cups-pdf re-distills the job through Ghostscript, which keeps the glyphs as drawings without
      // their text; so the printed page is compared with the stored one as pictures.
      await sleep(500);
      const alike = looksAlike(greyPage(ctx.printed), greyPage(ctx.savedAtIssue));
      if (alike.inkB < 500 || Math.abs(alike.inkA - alike.inkB) * 5 > alike.inkB || alike.meanDifference > 8) {
        throw new Error(`the printed page does not look like the notice: ${JSON.stringify(alike)}`);
      }
      const words = pdfText(ctx.savedAtIssue);
      if (!words.includes(ctx.number) || !words.includes(REPORTER) || !words.includes(SUBJECT) || !words.includes(CHANGED_PARAGRAPH)) {
        throw new Error(`the saved PDF reads ${JSON.stringify(words.slice(0, 200))}`);
      }
      // The reporter may know whom the complaint is about, not its content or the person's unit.
      if (words.includes("区测试所") || words.includes("违规收取办证费用")) throw new Error("the notice shows case details its reader may not know");
    }],
    ["closing the dialog, the complaint's timeline records the issue with its number", async () => {
      await app.click("notice-close");
      await app.waitGone("notice-issued");
      await app.expectText("complaint-timeline", `签发受理告知书：${ctx.number}`);
    }],
    ["发文登记 lists it; 重新打印 saves the same bytes again", async () => {
      await app.click("nav-notice-register");
      const row = await app.expectRow("register-row", ctx.number, "受理告知书", ctx.complaint, "王信访");
      await app.screenshot("notice-register.png");
      const reprint = await app.wd("POST", `/element/${row.el}/element`, { using: "css selector", value: '[data-testid="register-reprint"]' });
      await app.clickEl(Object.values(reprint)[0], "重新打印");
      await app.find("print-panel");
      ctx.savedFromRegister = await savePdf(app, ctx, "notice-reprinted.pdf");
      if (ctx.savedFromRegister === ctx.savedAtIssue) throw new Error("the second save overwrote the first");
      if (sha256(ctx.savedFromRegister) !== sha256(ctx.savedAtIssue)) throw new Error("the re-printed PDF differs from the one saved at issue");
      await app.click("reprint-close");
      await app.waitGone("print-panel");
    }],
    ["监督检查室 is not offered the reporter's notices", async () => {
      await app.logout();
      await app.login("jiancha", USERS.jiancha.password, USERS.jiancha.name);
      await app.click("nav-complaints");
      const row = await app.expectRow("list-row", ctx.complaint);
      await app.clickRow(row.el);
      await app.expectText("complaint-number", ctx.complaint);
      await app.absent("notice-open-acceptance", "to 监督检查室");
      const text = await app.pageText();
      if (text.includes(REPORTER)) throw new Error(`监督检查室 sees ${REPORTER}`);
    }],
  ],

  after: (ctx) => [
    ["the event log verifies, and `qingfeng notice list` has the one notice with the saved files' hash", async () => {
      const verify = JSON.parse(await cliOk([...dbArgs(ctx), "events", "verify", "--json"]));
      if (!verify.ok) throw new Error(`events verify: ${JSON.stringify(verify)}`);
      const docs = JSON.parse(await cliOk([...dbArgs(ctx), "notice", "list", "--as", "xinfang", "--json"], { password: USERS.xinfang.password }));
      if (!Array.isArray(docs)) throw new Error(`notice list --json printed no array: ${JSON.stringify(docs)}`);
      if (docs.length !== 1 || docs[0].number !== ctx.number) throw new Error(`notice list: ${JSON.stringify(docs)}`);
      if (docs[0].template_version !== 2) throw new Error(`the notice was issued with template version ${docs[0].template_version}, not the one saved in the form`);
      if (docs[0].pdf_sha256 !== sha256(ctx.savedAtIssue)) throw new Error(`stored hash ${docs[0].pdf_sha256} is not the saved file's ${sha256(ctx.savedAtIssue)}`);
    }],
  ],

  cleanup: async (ctx) => {
    stopCupsd(ctx);
    // cups-pdf's output is outside the scenario's directory; remove what this run printed.
    if (ctx.printed) fs.rmSync(ctx.printed, { force: true });
  },
};
