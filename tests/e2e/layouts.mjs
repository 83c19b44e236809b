// Scenario: every screen of the demo office at the two window sizes officers use, 1200×800 (the
// program's default) and 1920×1080, in one run of the program. Each menu screen is visited once, by
// the first post whose menu offers it, and 工作台 by every post; at each size the screen is saved as
// layout-<size>-<post>-<screen>.png for a person to look at, and checked for the faults issue #18
// found: content wider than the window (a horizontal scroll bar), a form label wrapped to one
// character a line, an input squeezed narrower than a few characters. (An antd row's gutter makes
// the page's own scrollWidth a few pixels wider than it looks, so only the window is measured.)

import { cliOk, dbArgs } from "./lib.mjs";

const DEMO_PASSWORD = "qingfeng2026";
const SIZES = [
  [1200, 800],
  [1920, 1080],
];

// Posts in the order they are logged in; a screen is visited by the first post that has it.
const POSTS = [
  ["xinfang", "王信访"],
  ["jiancha", "李监督"],
  ["anguan", "陈案管"],
  ["shenli", "刘审理"],
  ["lingdao", "周领导"],
  ["admin", "张管理"],
];

// What is wrong with the layout now on screen, in words; empty when it holds.
const LAYOUT_FAULTS = `
  const faults = [];
  const page = document.querySelector(".qf-page") ?? document.body;
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) faults.push("the window scrolls sideways (" + doc.scrollWidth + " px of content in " + window.innerWidth + ")");
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const label of page.querySelectorAll(".ant-form-item-label > label")) {
    if (!shown(label)) continue;
    const text = label.innerText.trim();
    const line = parseFloat(getComputedStyle(label).lineHeight) || 22;
    if (text.length > 2 && label.getBoundingClientRect().height > line * 2.5) faults.push("the label " + JSON.stringify(text) + " wraps onto " + Math.round(label.getBoundingClientRect().height / line) + " lines");
  }
  for (const input of page.querySelectorAll(".ant-form-item-control-input")) {
    if (!shown(input)) continue;
    const w = input.getBoundingClientRect().width;
    const label = input.closest(".ant-form-item")?.querySelector(".ant-form-item-label")?.innerText.trim() ?? "";
    if (w < 96 && !input.querySelector(".ant-switch, .ant-checkbox, .ant-radio")) faults.push("the field " + JSON.stringify(label) + " is " + Math.round(w) + " px wide");
  }
  return faults;
`;

/** The menu entries now shown, by their test ids. */
async function menuKeys(app) {
  // nav-inbox-count is the badge on 工作台, not an entry.
  const keys = await app.script(`return [...document.querySelectorAll('[data-testid^="nav-"]')].map((e) => e.getAttribute("data-testid"));`);
  return keys.filter((k) => !k.endsWith("-count"));
}

export default {
  name: "layouts",

  before: (ctx) => [
    ["the demo office is built with the command-line program", async () => {
      await cliOk([...dbArgs(ctx), "demo"], { timeoutMs: 240_000 });
    }],
  ],

  steps: (app, ctx) => {
    const seen = new Set();
    ctx.faults = [];
    return [
      ...POSTS.map(([username, name]) => [`${name}'s screens hold at 1200×800 and 1920×1080`, async () => {
        await app.setSize(...SIZES[0]);
        await app.login(username, DEMO_PASSWORD, name);
        const keys = (await menuKeys(app)).filter((k) => k === "nav-inbox" || !seen.has(k));
        for (const key of keys) {
          seen.add(key);
          await app.click(key);
          // Two list screens have no page-… mark of their own; the menu entry is enough for them.
          await app.find(`page-${key.slice(4)}`, 3_000).catch(() => {});
          // Lists and charts load after the page; give them their data before looking.
          await app.wait("the page to finish loading", async () => (await app.script(`return document.querySelectorAll(".ant-spin-spinning, .ant-skeleton-active").length;`)) === 0, 15_000).catch(() => {});
          for (const size of SIZES) {
            await app.setSize(...size);
            const faults = await app.script(LAYOUT_FAULTS);
            const label = `${size[0]}x${size[1]}-${username}-${key.slice(4)}`;
            await app.screenshot(`layout-${label}.png`);
            for (const f of faults) ctx.faults.push(`${label}: ${f}`);
          }
          await app.setSize(...SIZES[0]);
        }
        await app.logout();
      }]),
      ["no screen scrolls sideways, wraps a label a character a line, or squeezes a field", async () => {
        if (ctx.faults.length) throw new Error(`${ctx.faults.length} layout faults:\n  ${ctx.faults.join("\n  ")}`);
      }],
    ];
  },

  after: () => [],
};
