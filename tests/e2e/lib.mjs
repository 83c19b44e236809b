// Shared pieces of the end-to-end test: the run's deadline, bounded waiting, the command-line program,
// the checks' tally, and AppSession, which starts the desktop program under tauri-driver and drives it
// with W3C WebDriver over plain fetch (no npm packages).

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const APP = process.env.QINGFENG_E2E_APP || path.join(REPO, "target/debug/qingfeng-desktop");
export const CLI = process.env.QINGFENG_E2E_CLI || path.join(REPO, "target/debug/qingfeng");
export const OUT = path.resolve(REPO, process.env.QINGFENG_E2E_OUT || "tests/e2e/out");
const NATIVE_DRIVER = "/usr/bin/WebKitWebDriver";
// Ten minutes for the scenarios, and five more for the layouts pass over every screen at two sizes.
// The desktop benchmark's scripted session (memory.mjs) runs longer and sets its own.
export const RUN_TIMEOUT_MS = Number(process.env.QINGFENG_E2E_RUN_TIMEOUT_MS) || 900_000;
const WAIT_MS = 15_000;
const PROBE_MS = 5_000;
const POLL_MS = 100;
const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

// The whole run shares one deadline; every wait and request is cut short when it passes, so a hung
// window turns into a failed check instead of a hung CI job.
export const runAbort = new AbortController();
export const runStarted = Date.now();
const runTimer = setTimeout(
  () => runAbort.abort(new Error(`whole-run timeout (${RUN_TIMEOUT_MS / 1000} s) exceeded`)),
  RUN_TIMEOUT_MS,
);
export const stopRunClock = () => clearTimeout(runTimer);

/**
 * A signal that aborts when `parent` does or after `ms`, and the function that stops its timer. Node 20's
 * AbortSignal.any holds its sources weakly, so an AbortSignal.timeout(…) passed only to it can be
 * garbage-collected before it fires: a WebDriver command that never answered (a screenshot, with WebKit's
 * compositing off) then held the whole run until its deadline instead of failing its check in 30 s. Here
 * the pending timer holds the controller.
 */
export function timeoutSignal(parent, ms) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms / 1000} s`, "TimeoutError")), ms);
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener("abort", onAbort);
    },
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Today in Beijing (UTC+8) as YYYY-MM-DD, the way the program's date fields show it whatever the
 * machine's time zone. */
export function todayIso() {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

// Polls `probe` until it returns a truthy value; the last error is kept so a timeout says what went wrong.
export async function waitFor(what, probe, timeoutMs = WAIT_MS, signal = runAbort.signal) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  for (let attempt = 0; attempt < Math.ceil(timeoutMs / POLL_MS) + 1; attempt++) {
    if (signal.aborted) throw signal.reason;
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      lastError = e;
    }
    if (Date.now() > deadline) break;
    await sleep(POLL_MS);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ""}`);
}

/**
 * Runs `program` with `args` and resolves with {code, signal, stdout, stderr}; `input` goes to its standard
 * input and `env` is added to its environment, from which the QINGFENG_* variables naming a database, key
 * file, user or password are removed first (so nothing of the caller's shell leaks in). It is killed after
 * `timeoutMs` or when the run deadline passes.
 */
export function run(program, args, { input = "", env: extra = {}, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, RUST_BACKTRACE: "0" };
    delete env.QINGFENG_DB;
    delete env.QINGFENG_KEY_FILE;
    delete env.QINGFENG_USER;
    delete env.QINGFENG_PASSWORD;
    Object.assign(env, extra);
    const child = spawn(program, args, {
      env,
      stdio: ["pipe", "pipe", "pipe"],
      signal: AbortSignal.any([runAbort.signal, AbortSignal.timeout(timeoutMs)]),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s) => (stderr += s));
    child.once("error", (e) => reject(new Error(`${commandLine(program, args)}: ${e.message}`)));
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on("error", () => {}); // it may exit before reading everything
    child.stdin.end(input);
  });
}

/** Like run() but fails unless the program exits with 0, saying what it printed; returns its standard output. */
export async function runOk(program, args, options) {
  const r = await run(program, args, options);
  if (r.code !== 0) {
    const status = r.code === null ? `was killed by ${r.signal}` : `exited with ${r.code}`;
    throw new Error(`${commandLine(program, args)} ${status}: ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

// The program's file name and its arguments, for error messages.
const commandLine = (program, args) => [path.basename(program), ...args].join(" ");

// The command-line program's options: `password` goes to QINGFENG_PASSWORD.
const cliOptions = ({ password, ...options } = {}) => ({
  ...options,
  env: password === undefined ? {} : { QINGFENG_PASSWORD: password },
});

/**
 * Runs the command-line program and resolves with {code, signal, stdout, stderr}; `input` goes to its
 * standard input and `password` to QINGFENG_PASSWORD. It is killed after `timeoutMs` or when the run
 * deadline passes.
 */
export function cli(args, options) {
  return run(CLI, args, cliOptions(options));
}

/** Like cli() but fails unless the program exits with 0; returns its standard output. */
export function cliOk(args, options) {
  return runOk(CLI, args, cliOptions(options));
}

/** `--db`/`--key-file` for the scenario's database. */
export const dbArgs = (ctx) => ["--db", ctx.db, "--key-file", ctx.keyFile];

/** Creates the demo county office with the command-line program, then one account per entry of
 * `users` (`{ username: { name, role, password } }`), as the administrator. Posts that read
 * reporters' identities (petitions, leader) need a second person's approval: a second
 * administrator, `admin2` (with the administrator's password), approves them. */
export async function createOffice(ctx, adminPassword, users) {
  await cliOk(
    [...dbArgs(ctx), "init", "--office-code", "530102", "--office-name", "五华区纪委监委", "--parent", "530100", "--admin-name", "张管理", "--password-stdin"],
    { input: `${adminPassword}\n` },
  );
  const identity = Object.entries(users).filter(([, u]) => u.role === "petitions" || u.role === "leader");
  if (identity.length > 0) {
    await cliOk([...dbArgs(ctx), "user", "add", "admin2", "--name", "李管理", "--role", "admin", "--password-stdin"], {
      input: `${adminPassword}\n`,
      password: adminPassword,
    });
  }
  for (const [username, u] of Object.entries(users)) {
    await cliOk([...dbArgs(ctx), "user", "add", username, "--name", u.name, "--role", u.role, "--password-stdin"], {
      input: `${u.password}\n`,
      password: adminPassword,
    });
  }
  for (const [username, u] of identity) {
    await cliOk([...dbArgs(ctx), "user", "approve", username, u.role, "--as", "admin2"], { password: adminPassword });
  }
}

/** The tally of checks over the whole run; every check prints one `ok - …` or `not ok - …` line. */
export class Tally {
  passed = 0;
  failed = 0;
  /** The reasons of the failed checks, in order (the run looks in them for a dead web engine). */
  failures = [];
  report(ok, name, reason) {
    if (ok) this.passed++;
    else {
      this.failed++;
      this.failures.push(String(reason));
    }
    console.log(ok ? `ok - ${name}` : `not ok - ${name} : ${String(reason).replace(/\s+/g, " ")}`);
  }
}

function findTauriDriver() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, "tauri-driver");
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return path.join(os.homedir(), ".cargo/bin/tauri-driver");
}

// Asks the kernel for an unused port; the small race before tauri-driver binds it is acceptable here.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Our processes are the ones carrying this session's unique database path in their environment; that
// finds the app and WebKitWebDriver even if they left tauri-driver's process group, without matching by name.
function processesWith(marker) {
  const pids = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`).includes(marker)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile or is not ours to read; either way it is not a leftover of this run.
    }
  }
  return pids;
}

const byTestId = (id) => `[data-testid="${id}"]`;

// WebKitWebDriver's displayedness check calls an element with its own `overflow: hidden` hidden (the top
// bar's ellipsised office name is one) and then reports its text as "". For such an element the text is
// read with a script instead, but only if the element is really on screen: a box inside the viewport,
// not hidden by CSS, and on top at its centre.
const ON_SCREEN_TEXT = `const e = arguments[0], r = e.getBoundingClientRect(), s = getComputedStyle(e);
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const onScreen = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  return onScreen && s.visibility === "visible" && s.display !== "none" && top !== null && e.contains(top) ? e.innerText : "";`;

// Whether an element has a box and is not hidden by CSS: closed antd drop-downs and modals that are
// fading out keep their DOM for a while, and those copies must not be mistaken for the live ones.
const HAS_BOX = `const e = arguments[0], r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility === "visible" && !e.closest(".ant-select-dropdown-hidden, .ant-zoom-leave, .ant-move-up-leave, .ant-slide-up-leave");`;

// How many elements are in an antd (rc-motion) animation or still loading (a spinning or blurred table) right now.
const MOVING = `return document.querySelectorAll('[class*="-appear-active"], [class*="-enter-active"], [class*="-leave-active"], [class*="-appear-start"], [class*="-enter-start"], [class*="-leave-start"], [class*="-appear-prepare"], [class*="-enter-prepare"], [class*="-leave-prepare"], .ant-spin-spinning, .ant-spin-blur').length;`;

/**
 * One run of the desktop program: its own tauri-driver (and so its own WebKitWebDriver and app),
 * started with the given database and key file in the environment. Every wait is bounded, and all of
 * them stop when the run deadline passes or tauri-driver dies.
 */
export class AppSession {
  constructor({ label, db, keyFile, env = () => ({}) }) {
    this.label = label;
    // Read when the program starts, so a scenario's `before` checks can still set it (a printer server).
    this.env = env;
    this.db = db;
    this.keyFile = keyFile;
    this.marker = `QINGFENG_DB=${db}`;
    this.base = null;
    this.sessionId = null;
    this.driver = null;
    this.driverExited = null;
    this.abort = new AbortController();
    this.signal = AbortSignal.any([runAbort.signal, this.abort.signal]);
    this.logPath = path.join(OUT, `tauri-driver-${label}.log`);
  }

  async start() {
    if (!fs.existsSync(APP)) throw new Error(`app not found at ${APP} (set QINGFENG_E2E_APP)`);
    const tauriDriver = findTauriDriver();
    if (!fs.existsSync(tauriDriver)) {
      throw new Error(`tauri-driver not found at ${tauriDriver} (cargo install tauri-driver --version '^2' --locked, or set TAURI_DRIVER)`);
    }
    const [port, nativePort] = [await freePort(), await freePort()];
    this.base = `http://127.0.0.1:${port}`;
    const log = fs.openSync(this.logPath, "w");
    // A process group of its own lets stop() kill tauri-driver, WebKitWebDriver and the app together.
    this.driver = spawn(tauriDriver, ["--port", String(port), "--native-port", String(nativePort), "--native-driver", NATIVE_DRIVER], {
      detached: true,
      stdio: ["ignore", log, log],
      // RUST_BACKTRACE=0 keeps tauri-driver's log readable: it logs a backtrace for every refused /status probe.
      // NO_AT_BRIDGE=1 spares starting the accessibility bus, which nothing here uses.
      // The locale stays the caller's: with LANG=zh_CN.UTF-8, WebDriver's typing into the login
      // password field was lost (every scenario failed at login). The file chooser's title is the
      // program's own Chinese either way, which is what answerFileDialog looks for.
      env: {
        ...process.env,
        ...this.env(),
        RUST_BACKTRACE: "0",
        NO_AT_BRIDGE: "1",
        QINGFENG_DB: this.db,
        QINGFENG_KEY_FILE: this.keyFile,
      },
    });
    fs.closeSync(log);
    this.driverExited = new Promise((resolve) => this.driver.once("exit", resolve));
    this.driver.once("exit", (code, signal) => {
      if (!this.abort.signal.aborted) this.abort.abort(new Error(`tauri-driver exited early (${signal ?? code}); see ${this.logPath}`));
    });
    await waitFor("tauri-driver to answer GET /status", () => this.wd("GET", "/status", undefined, 2_000), 30_000, this.signal).catch((e) => {
      throw new Error(`tauri-driver (pid ${this.driver.pid}) did not start: ${e.message}; see ${this.logPath}`);
    });
    const session = await this.wd("POST", "/session", { capabilities: { alwaysMatch: { "tauri:options": { application: APP } } } }, 60_000);
    this.sessionId = session.sessionId;
    return this.driver.pid;
  }

  /** Ends the session and every process of it; returns the pids still running afterwards (none, normally). */
  async stop() {
    // Stopping must not be held up by the run deadline that may have just fired, so it uses its own timeouts.
    if (this.sessionId !== null) {
      await fetch(`${this.base}/session/${this.sessionId}`, { method: "DELETE", signal: AbortSignal.timeout(10_000) }).catch(() => {});
      this.sessionId = null;
    }
    if (!this.abort.signal.aborted) this.abort.abort(new Error("the app was stopped"));
    const driver = this.driver;
    if (driver?.pid && driver.exitCode === null && driver.signalCode === null) {
      try {
        process.kill(-driver.pid, "SIGTERM");
      } catch {
        // The group is already gone.
      }
      await Promise.race([this.driverExited, sleep(5_000)]);
      try {
        process.kill(-driver.pid, "SIGKILL");
      } catch {
        // Expected: SIGTERM was enough.
      }
    }
    let leftovers = processesWith(this.marker);
    for (let attempt = 0; attempt < 20 && leftovers.length > 0; attempt++) {
      for (const pid of leftovers) {
        try {
          process.kill(pid, attempt < 10 ? "SIGTERM" : "SIGKILL");
        } catch {
          // It ended between the scan and the kill.
        }
      }
      await sleep(250);
      leftovers = processesWith(this.marker);
    }
    return leftovers;
  }

  // One WebDriver command; routes other than /status and /session are relative to the current session.
  // Errors come back as {value: {error, message}} and are thrown.
  async wd(method, route, body, timeoutMs = 30_000) {
    const { signal, clear } = timeoutSignal(this.signal, timeoutMs);
    const url = route === "/status" || route === "/session" ? this.base + route : `${this.base}/session/${this.sessionId}${route}`;
    // QINGFENG_E2E_TRACE=1 prints every command but the polling scripts, to find the one a stuck run waits on.
    if (process.env.QINGFENG_E2E_TRACE && route !== "/execute/sync") console.error(`${new Date().toISOString()} wd ${method} ${route}`);
    let json;
    let res;
    try {
      res = await fetch(url, {
        method,
        signal,
        headers: { "content-type": "application/json; charset=utf-8" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      json = await res.json().catch(() => ({}));
    } catch (e) {
      if (signal.reason?.name === "TimeoutError") throw new Error(`${method} ${route}: no answer within ${timeoutMs / 1000} s`);
      throw e;
    } finally {
      clear();
    }
    if (!res.ok || json?.value?.error) {
      throw new Error(`${method} ${route}: ${json?.value?.error ?? res.status} ${json?.value?.message ?? ""}`.trim());
    }
    return json.value;
  }

  wait(what, probe, timeoutMs = WAIT_MS) {
    return waitFor(what, probe, timeoutMs, this.signal);
  }

  // Requests made while polling get a short timeout of their own, so that one request stuck while the
  // page is busy costs a retry rather than the whole wait.
  script(source, args = [], timeoutMs = PROBE_MS) {
    return this.wd("POST", "/execute/sync", { script: source, args }, timeoutMs);
  }

  ref(el) {
    return { [ELEMENT_KEY]: el };
  }

  /** Every element with the test id now, without waiting. */
  async all(testId) {
    const els = await this.wd("POST", "/elements", { using: "css selector", value: byTestId(testId) }, PROBE_MS);
    return els.map((e) => e[ELEMENT_KEY]);
  }

  /** The elements with the test id that have a box on screen (not a closed drop-down or a fading modal). */
  async shown(testId) {
    const out = [];
    for (const el of await this.all(testId)) {
      if (await this.script(HAS_BOX, [this.ref(el)]).catch(() => false)) out.push(el);
    }
    return out;
  }

  /** Waits for a shown element with the test id and returns the first. */
  async find(testId, timeoutMs = WAIT_MS) {
    try {
      const els = await this.wait(`${byTestId(testId)}`, async () => {
        const s = await this.shown(testId);
        return s.length > 0 && s;
      }, timeoutMs);
      return els[0];
    } catch (e) {
      // Say what the window showed instead, e.g. an error message in place of the expected screen.
      const text = await this.pageText().catch(() => "");
      throw new Error(`${e.message}; the window shows ${JSON.stringify(text.replace(/\s+/g, " ").trim().slice(0, 300))}`);
    }
  }

  /** Waits until no element with the test id is shown any more (a modal closed, a panel gone). */
  async waitGone(testId, timeoutMs = WAIT_MS) {
    await this.wait(`${byTestId(testId)} to go away`, async () => (await this.shown(testId)).length === 0, timeoutMs);
  }

  async textOf(el) {
    const text = await this.wd("GET", `/element/${el}/text`, undefined, PROBE_MS);
    return text !== "" ? text : this.script(ON_SCREEN_TEXT, [this.ref(el)]);
  }

  valueOf(el) {
    return this.wd("GET", `/element/${el}/property/value`, undefined, PROBE_MS);
  }

  /** The whole page's visible text. */
  pageText() {
    return this.script("return document.body.innerText;");
  }

  // Waits until the element's visible text contains every expected fragment, then returns the text.
  async expectText(testId, ...fragments) {
    let seen = "";
    try {
      return await this.wait(`${byTestId(testId)} to contain ${fragments.join(" + ")}`, async () => {
        seen = await this.textOf(await this.find(testId, 2_000));
        return fragments.every((f) => (f instanceof RegExp ? f.test(seen) : seen.includes(f))) && seen;
      });
    } catch (e) {
      throw new Error(`${e.message}; text was ${JSON.stringify(seen)}`);
    }
  }

  /**
   * Waits until one of the elements with the test id (rows of a table or list) contains every fragment
   * (strings or regular expressions); returns {el, text} of that one.
   */
  async expectRow(testId, ...fragments) {
    let seen = [];
    try {
      return await this.wait(`a ${byTestId(testId)} containing ${fragments.join(" + ")}`, async () => {
        seen = [];
        for (const el of await this.shown(testId)) {
          const text = await this.textOf(el);
          seen.push(text);
          if (fragments.every((f) => (f instanceof RegExp ? f.test(text) : text.includes(f)))) return { el, text };
        }
        return false;
      });
    } catch (e) {
      throw new Error(`${e.message}; rows were ${JSON.stringify(seen)}`);
    }
  }

  // Replaces an input's value the way a person would: click, select all, delete, type.
  // WebDriver's own "clear" sets the DOM value behind React's back, so a controlled antd input could keep
  // its old value in the form state; keystrokes go through the same events as a person's typing.
  async typeInto(testId, text) {
    const el = await this.find(testId);
    await this.settle();
    await this.wait(`${byTestId(testId)} to hold ${JSON.stringify(text)}`, async () => {
      await this.wd("POST", `/element/${el}/click`, {});
      if ((await this.valueOf(el)) !== "") {
        await this.wd("POST", `/element/${el}/value`, { text: "\uE009a\uE000\uE003" });
      }
      if ((await this.valueOf(el)) !== "") return false;
      await this.wd("POST", `/element/${el}/value`, { text });
      return (await this.valueOf(el)) === text;
    }, 5_000);
  }

  /** Presses keys in the focused element of the given test id (e.g. "\uE007" for Enter). */
  async press(testId, keys) {
    await this.wd("POST", `/element/${await this.find(testId)}/value`, { text: keys });
  }

  // A click can be refused while something (a fading modal, a toast) is still over the target; it is
  // tried again until the wait runs out.
  // antd opens and closes modals, drop-downs and toasts with 0.2-0.3 s animations (rc-motion's
  // *-appear/-enter/-leave classes). A click while a modal is still zooming in lands where the button
  // is going to be, not where it is, and is silently lost; so every click waits for the screen to be
  // still first (at most a few seconds; after that it clicks anyway and the check after it decides).
  async settle() {
    await this.wait("animations to finish", () => this.script(MOVING).then((n) => n === 0), 3_000).catch(() => {});
  }

  async clickEl(el, what = "element") {
    await this.settle();
    await this.wait(`a click on ${what} to be accepted`, async () => {
      await this.wd("POST", `/element/${el}/click`, {});
      return true;
    }, 5_000);
  }

  // WebKitWebDriver finds no in-view centre point for a table row (<tr>) and calls it not interactable,
  // so a row is clicked on its first cell, as a person would click on the number.
  async clickRow(row) {
    const cell = await this.wd("POST", `/element/${row}/element`, { using: "css selector", value: "td" });
    await this.clickEl(cell[ELEMENT_KEY], "a table row");
  }

  async click(testId) {
    await this.settle();
    await this.wait(`a click on ${byTestId(testId)} to be accepted`, async () => {
      await this.wd("POST", `/element/${await this.find(testId, 2_000)}/click`, {});
      return true;
    });
  }

  /**
   * antd Select: click its root, then the option with the value in the drop-down that opened, and wait
   * until the root shows that option's label. A click lost to an animation is tried again.
   */
  async select(testId, value) {
    const option = `option-${value}`;
    let label = null;
    await this.wait(`${byTestId(testId)} to show ${byTestId(option)}`, async () => {
      const root = await this.find(testId, 2_000);
      if (label !== null && (await this.textOf(root)).includes(label)) return true;
      await this.settle();
      const [el] = await this.shown(option);
      if (!el) {
        await this.wd("POST", `/element/${root}/click`, {});
        return false;
      }
      label = (await this.textOf(el)).trim();
      await this.wd("POST", `/element/${el}/click`, {});
      // The drop-down closes with an animation; the next step must not click into it.
      await this.waitGone(option, 3_000).catch(() => {});
      return label !== "" && (await this.textOf(root)).includes(label);
    });
  }

  /** Clicks a modal's 保存/确定 (`modal-submit`) and waits until the modal has closed. */
  async submitModal() {
    await this.click("modal-submit");
    await this.waitModalClosed("modal-submit");
  }

  /** Waits until the modal with the given button has closed; a failure says what the modal showed. */
  async waitModalClosed(button) {
    try {
      await this.wait("the modal to close", async () => {
        const errors = await this.shown("modal-error");
        if (errors.length > 0) throw new Error(`the modal says ${JSON.stringify(await this.textOf(errors[0]))}`);
        return (await this.shown(button)).length === 0;
      });
    } catch (e) {
      const modal = await this.script(`return [...document.querySelectorAll(".ant-modal")].map((m) => m.innerText).join(" | ");`).catch(() => "");
      throw new Error(`${e.message}; the modal shows ${JSON.stringify(modal)}`);
    }
  }

  /**
   * Answers the platform's save or open dialog titled `title` (GTK's file chooser, a window of its
   * own that WebDriver cannot see) as a person would: with the keyboard, typing `file`'s full path
   * and Enter. `mode` is "save" (the name field has focus, holding the proposed name) or "open"
   * (Ctrl+L opens the location field). Resolves once the dialog has closed.
   */
  async answerFileDialog(title, file, mode = "save") {
    const xdotool = (...args) => runOk("xdotool", args);
    const find = async () => {
      const r = await run("xdotool", ["search", "--onlyvisible", "--name", `^${title}$`]);
      return r.stdout.trim().split(/\s+/).filter(Boolean).pop() ?? false;
    };
    const wid = await this.wait(`the “${title}” dialog`, find, 20_000);
    // GTK maps the window before it takes keys; give it a moment to be ready.
    await sleep(400);
    await xdotool("windowfocus", "--sync", wid);
    if (mode === "open") {
      await xdotool("key", "--clearmodifiers", "ctrl+l");
      await sleep(200);
    }
    await xdotool("key", "--clearmodifiers", "ctrl+a");
    await xdotool("type", "--delay", "10", file);
    await sleep(200);
    await xdotool("key", "Return");
    await this.wait(`the “${title}” dialog to close`, async () => !(await find()), 10_000);
  }

  async absent(testId, why) {
    const els = await this.shown(testId);
    if (els.length > 0) throw new Error(`${byTestId(testId)} is shown${why ? ` ${why}` : ""}`);
  }

  async login(username, password, displayName) {
    await this.typeInto("login-username", username);
    await this.typeInto("login-password", password);
    await this.click("login-submit");
    await this.find("home");
    await this.expectText("home-user-name", displayName);
  }

  async logout() {
    await this.click("logout");
    await this.find("login-username");
  }

  /** Sets the window's outer size (the sizes officers use are 1200×800 and 1920×1080) and waits
   * until the window has it and the page has laid itself out again. */
  async setSize(width, height) {
    await this.wd("POST", "/window/rect", { x: 0, y: 0, width, height });
    await this.wait(`the window to be ${width}×${height}`, async () => {
      const [w, h] = await this.script("return [window.outerWidth, window.outerHeight];");
      return Math.abs(w - width) <= 2 && Math.abs(h - height) <= 2;
    }, 5_000);
    await sleep(300);
  }

  /** Screenshots `<name>-1200x800.png` and `<name>-1920x1080.png`, the two window sizes every screen
   * is checked at, then gives the window back its size for the rest of the scenario. */
  async shots(name) {
    for (const [w, h] of [[1200, 800], [1920, 1080]]) {
      await this.setSize(w, h);
      await this.screenshot(`${name}-${w}x${h}.png`);
    }
    await this.setSize(1280, 860);
  }

  // antd animates state changes for about 0.3 s and shows "已保存" toasts for 3 s; waiting for both
  // makes the screenshots show the settled screen rather than a frame in between.
  async screenshot(name, { toasts = false } = {}) {
    await this.settle();
    if (!toasts) {
      await this.wait("toasts to fade", async () => (await this.script(`return document.querySelectorAll(".ant-message-notice").length;`)) === 0, 6_000).catch(() => {});
    }
    await sleep(500);
    // Taken from the X display (ImageMagick's import, cropped to the window), not through
    // WebDriver: the program turns WebKit's compositing off to save memory, and with it off
    // WebKitGTK's WebDriver screenshot never answers (src-tauri/src/webview.rs).
    const { x, y, width, height } = await this.wd("GET", "/window/rect");
    await runOk("import", ["-display", process.env.DISPLAY || ":0", "-window", "root", "-crop", `${width}x${height}+${x}+${y}`, "+repage", path.join(OUT, name)]);
  }
}

// The hub a cross-office scenario starts and stops (sync, approvals, review share these).
export const HUB = process.env.QINGFENG_E2E_HUB || path.join(REPO, "target/debug/qingfeng-hub");

/** Runs the hub's admin CLI on the scenario's hub database; resolves with its standard output. */
export const hubCli = (ctx, args) => runOk(HUB, ["--db", ctx.hubDb, ...args]);

/** Starts the hub server on a free port of 127.0.0.1; resolves with its address once it listens. */
export function startHub(ctx) {
  return new Promise((resolve, reject) => {
    const child = spawn(HUB, ["--db", ctx.hubDb, "serve", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "ignore"] });
    ctx.hub = child;
    let first = "";
    const timer = setTimeout(() => reject(new Error("the hub printed no address within 20 s")), 20_000);
    child.once("error", reject);
    child.stdout.setEncoding("utf8").on("data", (s) => {
      first += s;
      const line = first.split("\n")[0];
      if (first.includes("\n")) {
        clearTimeout(timer);
        if (line.startsWith("http://127.0.0.1:")) resolve(line.trim());
        else reject(new Error(`unexpected first line from the hub: ${line}`));
      }
    });
  });
}

/** Stops the hub this scenario started, by its process id (SIGKILL, as a power cut would). */
export async function killHub(ctx) {
  const hub = ctx.hub;
  ctx.hub = null;
  if (!hub || hub.exitCode !== null || hub.signalCode !== null) return;
  const exited = new Promise((resolve) => hub.once("exit", resolve));
  process.kill(hub.pid, "SIGKILL");
  await Promise.race([exited, sleep(5_000)]);
}
