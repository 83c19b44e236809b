// The desktop benchmark's scripted session (`cargo xtask bench desktop`, not part of the e2e suite):
// the real program on the demo office, driven through WebDriver pass after pass through every
// screen for QINGFENG_BENCH_SESSION_MINUTES (default 20) minutes, with the memory (PSS) of the
// program and its WebKit processes printed after every pass as one JSON line each:
//   {"bench":"desktop_session","pass":N,"minutes":M,"pss_kib":K,"processes":{"name":kib,…}}
// A pass logs in as the leader (who sees most screens) and then as the posts that see the rest
// (trial, petitions, the administrator), opens every menu screen once, opens complaints and
// previews a notice as petitions; the charts are on 统计分析 and 执行统计. The last line is
// {"bench":"desktop_session_done",…} or the process exits non-zero with the reason on stderr.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppSession, OUT, cliOk, dbArgs, sleep, stopRunClock } from "./lib.mjs";

const DEMO_PASSWORD = "qingfeng2026";
const MINUTES = Number(process.env.QINGFENG_BENCH_SESSION_MINUTES || 20);
// Posts in the order they log in during a pass; each screen is opened by the first post that has it.
const POSTS = [
  ["lingdao", "周领导"],
  ["shenli", "刘审理"],
  ["xinfang", "王信访"],
  ["admin", "张管理"],
];
// How many complaints each pass opens (each is a page with its timeline, deadlines and notices).
const COMPLAINTS_PER_PASS = 3;

/** The program's processes: those carrying this session's database in their environment, less the
 * WebDriver bridge (not part of the program an officer runs). The names are the kernel's
 * 15-character ones (qingfeng-deskto, WebKitWebProces, WebKitNetworkPr). */
function programPss(marker) {
  const byName = {};
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/environ`).includes(marker)) continue;
      const name = fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (!(name.startsWith("qingfeng") || name.startsWith("WebKit")) || name.startsWith("WebKitWebDriver")) continue;
      const rollup = fs.readFileSync(`/proc/${entry}/smaps_rollup`, "utf8");
      const kib = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      byName[name] = (byName[name] ?? 0) + kib;
      total += kib;
    } catch {
      // The process ended between the listing and the reading.
    }
  }
  return { total, byName };
}

/** The menu entries now shown, by their test ids (the badge on 工作台 is not an entry). */
async function menuKeys(app) {
  const keys = await app.script(`return [...document.querySelectorAll('[data-testid^="nav-"]')].map((e) => e.getAttribute("data-testid"));`);
  return keys.filter((k) => !k.endsWith("-count"));
}

async function loaded(app) {
  await app
    .wait("the page to finish loading", async () => (await app.script(`return document.querySelectorAll(".ant-spin-spinning, .ant-skeleton-active").length;`)) === 0, 15_000)
    .catch(() => {});
}

/** Closes the open modal as a person would, with its close (×) button. */
async function closeModal(app) {
  await app.settle();
  await app.script(`const m = [...document.querySelectorAll(".ant-modal-wrap")].filter((w) => w.style.display !== "none").pop(); m?.querySelector(".ant-modal-close")?.click();`);
  await app.wait("the modal to close", async () => (await app.script(`return [...document.querySelectorAll(".ant-modal-wrap")].filter((w) => w.style.display !== "none").length;`)) === 0, 5_000);
}

/** Opens `count` complaints from the list in turn (a different one each time, so the session does
 * not just reopen what is cached). With `notice`, keeps opening until one offers a notice (at most
 * ten more) and previews it; returns how many preview pages were drawn. */
async function complaints(app, state, count, notice) {
  let pages = 0;
  for (let i = 0; i < count + (notice ? 10 : 0); i++) {
    if (i >= count && (!notice || pages > 0)) break;
    await app.click("nav-complaints");
    await app.find("page-complaints");
    await loaded(app);
    const rows = await app.shown("list-row");
    await app.clickRow(rows[(state.nextComplaint++ * 7) % rows.length]);
    await app.find("complaint-number");
    await loaded(app);
    if (!notice || pages > 0) continue;
    const [kind] = await app.script(
      `return [...document.querySelectorAll('[data-testid^="notice-open-"]')].map((e) => e.getAttribute("data-testid"));`,
    );
    if (!kind) continue;
    await app.click(kind);
    await app.click("notice-preview-button");
    await app
      .wait("the notice preview", async () => (await app.shown("notice-page")).length > 0 || (await app.shown("notice-error")).length > 0, 30_000)
      .catch(() => {});
    pages = (await app.shown("notice-page")).length;
    await closeModal(app);
  }
  return pages;
}

async function pass(app, state) {
  const seen = new Set();
  let previewPages = 0;
  for (const [username, name] of POSTS) {
    await app.login(username, DEMO_PASSWORD, name);
    const keys = (await menuKeys(app)).filter((k) => !seen.has(k));
    for (const key of keys) {
      seen.add(key);
      await app.click(key);
      await app.find(`page-${key.slice(4)}`, 3_000).catch(() => {});
      await loaded(app);
    }
    // The leader reads complaints; petitions issue the notices to reporters, so they preview one.
    if (username === "lingdao") await complaints(app, state, COMPLAINTS_PER_PASS, false);
    if (username === "xinfang") previewPages += await complaints(app, state, 1, true);
    await app.logout();
  }
  return { screens: seen.size, previewPages };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qingfeng-memory-"));
const ctx = { tmp, db: path.join(tmp, "bench.db"), keyFile: path.join(tmp, "bench.key") };
const app = new AppSession({ label: "memory", db: ctx.db, keyFile: ctx.keyFile });
try {
  fs.mkdirSync(OUT, { recursive: true });
  await cliOk([...dbArgs(ctx), "demo"], { timeoutMs: 240_000 });
  await app.start();
  await app.find("login-username", 60_000);
  const started = Date.now();
  const state = { nextComplaint: 0 };
  for (let n = 1; n === 1 || n === 2 || Date.now() - started < MINUTES * 60_000; n++) {
    const { screens, previewPages } = await pass(app, state);
    // The page settles (timers, the garbage collector's idle work) before memory is read.
    await sleep(3_000);
    const { total, byName } = programPss(app.marker);
    const minutes = Number(((Date.now() - started) / 60_000).toFixed(2));
    // What the page holds at the login screen after the pass: if these stay flat from pass to pass
    // while the WebKit process grows, the growth is the JavaScript heap's collection timing or
    // WebKit's caches, not screens or charts left behind.
    const page = await app.script(
      `return { nodes: document.getElementsByTagName("*").length, echarts: document.querySelectorAll("[_echarts_instance_]").length, images: document.images.length };`,
    );
    console.log(
      JSON.stringify({ bench: "desktop_session", pass: n, minutes, screens, preview_pages: previewPages, pss_kib: total, processes: byName, dom_nodes: page.nodes, charts: page.echarts, images: page.images }),
    );
  }
  console.log(JSON.stringify({ bench: "desktop_session_done", minutes: Number(((Date.now() - started) / 60_000).toFixed(2)) }));
} catch (e) {
  console.error(`the scripted session failed: ${e.message}`);
  await app.screenshot("memory-failure.png", { toasts: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  stopRunClock();
  const leftovers = await app.stop();
  if (leftovers.length > 0) {
    console.error(`still running after the session: ${leftovers.join(", ")}`);
    process.exitCode = 1;
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
