// End-to-end test of the Qingfeng desktop program: drives the real window through the first-run story via tauri-driver.
//
// It speaks the W3C WebDriver protocol with plain fetch so that it needs no npm packages. Run it inside
// Xvfb and a D-Bus session (see tests/e2e/README.md). The last line printed is always "N passed, M failed".

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const APP = process.env.QINGFENG_E2E_APP || path.join(REPO, "target/debug/qingfeng-desktop");
const OUT = path.resolve(REPO, process.env.QINGFENG_E2E_OUT || "tests/e2e/out");
const NATIVE_DRIVER = "/usr/bin/WebKitWebDriver";
const RUN_TIMEOUT_MS = 180_000;
const WAIT_MS = 15_000;
const POLL_MS = 100;
const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
const PASSWORD = "Qingfeng#2026";

// The whole run shares one deadline; every wait and request below is cut short when it passes,
// so a hung window turns into a failed check instead of a hung CI job.
const runAbort = new AbortController();
const runStarted = Date.now();
const runTimer = setTimeout(() => runAbort.abort(new Error(`whole-run timeout (${RUN_TIMEOUT_MS / 1000} s) exceeded`)), RUN_TIMEOUT_MS);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

// Polls `probe` until it returns a truthy value; the last error is kept so a timeout says what went wrong.
async function waitFor(what, probe, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  for (let attempt = 0; attempt < Math.ceil(timeoutMs / POLL_MS) + 1; attempt++) {
    if (runAbort.signal.aborted) throw runAbort.signal.reason;
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) break;
    await sleep(POLL_MS);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ""}`);
}

let base = null;
let sessionId = null;

// One WebDriver command; routes other than /status and /session are relative to the current session.
// Errors come back as {value: {error, message}} and are thrown.
async function wd(method, route, body, timeoutMs = 30_000) {
  const signal = AbortSignal.any([runAbort.signal, AbortSignal.timeout(timeoutMs)]);
  const url = route === "/status" || route === "/session" ? base + route : `${base}/session/${sessionId}${route}`;
  const res = await fetch(url, {
    method,
    signal,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || json?.value?.error) {
    throw new Error(`${method} ${route}: ${json?.value?.error ?? res.status} ${json?.value?.message ?? ""}`.trim());
  }
  return json.value;
}

const byTestId = (id) => `[data-testid="${id}"]`;

async function find(testId, timeoutMs = WAIT_MS) {
  const el = await waitFor(byTestId(testId), () => wd("POST", "/element", { using: "css selector", value: byTestId(testId) }), timeoutMs);
  if (!el[ELEMENT_KEY]) throw new Error(`unexpected element reference for ${byTestId(testId)}: ${JSON.stringify(el)}`);
  return el[ELEMENT_KEY];
}

// WebKitWebDriver's displayedness check calls an element with its own `overflow: hidden` hidden (the top
// bar's ellipsised office name is one) and then reports its text as "". For such an element the text is
// read with a script instead, but only if the element is really on screen: a box inside the viewport,
// not hidden by CSS, and on top at its centre.
const ON_SCREEN_TEXT = `const e = arguments[0], r = e.getBoundingClientRect(), s = getComputedStyle(e);
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const onScreen = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  return onScreen && s.visibility === "visible" && s.display !== "none" && top !== null && e.contains(top) ? e.innerText : "";`;
async function textOf(el) {
  const text = await wd("GET", `/element/${el}/text`);
  return text !== "" ? text : wd("POST", "/execute/sync", { script: ON_SCREEN_TEXT, args: [{ [ELEMENT_KEY]: el }] });
}
const valueOf = (el) => wd("GET", `/element/${el}/property/value`);

// Waits until the element's visible text contains every expected fragment, then returns the text.
async function expectText(testId, ...fragments) {
  let seen = "";
  try {
    return await waitFor(`${byTestId(testId)} to contain ${fragments.join(" + ")}`, async () => {
      seen = await textOf(await find(testId));
      return fragments.every((f) => seen.includes(f)) && seen;
    });
  } catch (e) {
    throw new Error(`${e.message}; text was ${JSON.stringify(seen)}`);
  }
}

// Replaces an input's value the way a person would: click, select all, delete, type.
// WebDriver's own "clear" sets the DOM value behind React's back, so a controlled antd input could keep
// its old value in the form state; keystrokes go through the same events as a person's typing.
async function typeInto(testId, text) {
  const el = await find(testId);
  await waitFor(`${byTestId(testId)} to hold ${JSON.stringify(text)}`, async () => {
    await wd("POST", `/element/${el}/click`, {});
    if ((await valueOf(el)) !== "") {
      await wd("POST", `/element/${el}/value`, { text: "\uE009a\uE000\uE003" });
    }
    if ((await valueOf(el)) !== "") return false;
    await wd("POST", `/element/${el}/value`, { text });
    return (await valueOf(el)) === text;
  }, 5_000);
}

async function click(testId) {
  await wd("POST", `/element/${await find(testId)}/click`, {});
}

// antd animates state changes (focus rings, disabled colours) for about 0.3 s; waiting a little longer
// makes the screenshots show the settled screen rather than a frame in between.
async function screenshot(name) {
  await sleep(500);
  const png = await wd("GET", "/screenshot");
  fs.writeFileSync(path.join(OUT, name), Buffer.from(png, "base64"));
}

// Home must show the office, the user and today's date; used after setup and after logging in again.
async function expectHome() {
  await find("home");
  await expectText("home-office-name", "五华区纪委监委");
  await expectText("home-user-name", "张管理");
  await expectText("home-roles", "系统管理员");
  const today = await expectText("home-today", "年");
  if (!today.includes("工作日") && !today.includes("休息日")) throw new Error(`home-today says neither 工作日 nor 休息日: ${JSON.stringify(today)}`);
}

// The first-run story, one check per step. Each step builds on the previous one, so after the first
// failure the rest are reported as skipped (and counted as failed) rather than left to time out one by one.
const steps = [
  ["first-run setup screen appears", async () => {
    await find("setup-office-code", 30_000);
    const heading = await waitFor("the setup heading", () => wd("POST", "/element", { using: "css selector", value: "h3" }));
    const text = await textOf(heading[ELEMENT_KEY]);
    if (!text.includes("建立本机关")) throw new Error(`heading is ${JSON.stringify(text)}`);
  }],
  ["setup form accepts the office and administrator", async () => {
    await typeInto("setup-office-code", "530102");
    await typeInto("setup-office-name", "五华区纪委监委");
    await typeInto("setup-parent-code", "530100");
    await typeInto("setup-admin-username", "admin");
    await typeInto("setup-admin-name", "张管理");
    await typeInto("setup-password", PASSWORD);
    await typeInto("setup-password-confirm", PASSWORD);
    await click("setup-submit");
  }],
  ["home shows office, administrator, roles and today after setup", async () => {
    await expectHome();
    await screenshot("home-after-setup.png");
  }],
  ["database and a 0600 key file are created on first run", async () => {
    const mode = fs.statSync(path.join(tmp, "e2e.key")).mode & 0o777;
    if (mode !== 0o600) throw new Error(`key file mode is ${mode.toString(8)}, expected 600`);
    if (!fs.statSync(path.join(tmp, "e2e.db")).isFile()) throw new Error("e2e.db is not a file");
  }],
  ["logout returns to the login screen", async () => {
    await click("logout");
    await find("login-username");
  }],
  ["wrong password is refused with a message", async () => {
    await typeInto("login-username", "admin");
    await typeInto("login-password", "wrong-password-1");
    await click("login-submit");
    await expectText("login-error", "账号或密码不正确");
    // The form is disabled while the attempt runs; the failure is only fully shown once it is enabled again.
    const username = await find("login-username");
    await waitFor("the login form to be enabled again", () => wd("GET", `/element/${username}/enabled`));
    await screenshot("login-wrong-password.png");
  }],
  ["right password logs in to the same home", async () => {
    await typeInto("login-username", "admin");
    await typeInto("login-password", PASSWORD);
    await click("login-submit");
    await expectHome();
    await screenshot("home.png");
  }],
  ["window title is 清风", async () => {
    const title = await wd("GET", "/title");
    if (title !== "清风") throw new Error(`title is ${JSON.stringify(title)}`);
  }],
];

let passed = 0;
let failed = 0;
function report(ok, name, reason) {
  if (ok) passed++;
  else failed++;
  console.log(ok ? `ok - ${name}` : `not ok - ${name} : ${String(reason).replace(/\s+/g, " ")}`);
}

// Our processes are the ones carrying this run's unique database path in their environment; that finds
// the app and WebKitWebDriver even if they left tauri-driver's process group, without matching by name.
function processesOfThisRun(marker) {
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

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qingfeng-e2e-"));
const dbMarker = `QINGFENG_DB=${path.join(tmp, "e2e.db")}`;
let driver = null;
let driverExited = null;

try {
  fs.mkdirSync(OUT, { recursive: true });
  // Screenshots left by an earlier run would otherwise pass for this run's.
  for (const name of fs.readdirSync(OUT)) if (name.endsWith(".png")) fs.rmSync(path.join(OUT, name));
  if (!fs.existsSync(APP)) throw new Error(`app not found at ${APP} (set QINGFENG_E2E_APP)`);
  const tauriDriver = findTauriDriver();
  if (!fs.existsSync(tauriDriver)) throw new Error(`tauri-driver not found at ${tauriDriver} (cargo install tauri-driver --version '^2' --locked, or set TAURI_DRIVER)`);

  const [port, nativePort] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(OUT, "tauri-driver.log"), "w");
  // A process group of its own lets cleanup kill tauri-driver, WebKitWebDriver and the app together.
  driver = spawn(tauriDriver, ["--port", String(port), "--native-port", String(nativePort), "--native-driver", NATIVE_DRIVER], {
    detached: true,
    stdio: ["ignore", log, log],
    // RUST_BACKTRACE=0 keeps tauri-driver's log readable: it logs a backtrace for every refused /status probe.
    // NO_AT_BRIDGE=1 spares starting the accessibility bus, which nothing here uses.
    env: { ...process.env, RUST_BACKTRACE: "0", NO_AT_BRIDGE: "1", QINGFENG_DB: path.join(tmp, "e2e.db"), QINGFENG_KEY_FILE: path.join(tmp, "e2e.key") },
  });
  fs.closeSync(log);
  driverExited = new Promise((resolve) => driver.once("exit", resolve));
  driver.once("exit", (code, signal) => {
    if (sessionId !== null && !runAbort.signal.aborted) runAbort.abort(new Error(`tauri-driver exited early (${signal ?? code}); see ${OUT}/tauri-driver.log`));
  });

  await waitFor("tauri-driver to answer GET /status", () => wd("GET", "/status", undefined, 2_000), 30_000).catch((e) => {
    throw new Error(`tauri-driver (pid ${driver.pid}) did not start: ${e.message}; see ${OUT}/tauri-driver.log`);
  });
  const session = await wd("POST", "/session", { capabilities: { alwaysMatch: { "tauri:options": { application: APP } } } }, 60_000);
  sessionId = session.sessionId;
  report(true, `session started (tauri-driver pid ${driver.pid})`);

  for (const [index, [name, run]] of steps.entries()) {
    if (failed > 0) {
      report(false, name, "skipped after an earlier failure");
      continue;
    }
    try {
      await run();
      report(true, name);
    } catch (e) {
      report(false, name, e.message);
      await screenshot(`failure-step-${index + 1}.png`).catch(() => {});
    }
  }
} catch (e) {
  report(false, "test harness", e.message);
} finally {
  // Cleanup must not be held up by the run deadline that may have just fired, so it uses its own timeouts.
  if (sessionId !== null) {
    await fetch(`${base}/session/${sessionId}`, { method: "DELETE", signal: AbortSignal.timeout(10_000) }).catch(() => {});
  }
  if (driver?.pid && driver.exitCode === null && driver.signalCode === null) {
    try {
      process.kill(-driver.pid, "SIGTERM");
    } catch {
      // The group is already gone.
    }
    await Promise.race([driverExited, sleep(5_000)]);
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {
      // Expected: SIGTERM was enough.
    }
  }
  let leftovers = processesOfThisRun(dbMarker);
  for (let attempt = 0; attempt < 20 && leftovers.length > 0; attempt++) {
    for (const pid of leftovers) {
      try {
        process.kill(pid, attempt < 10 ? "SIGTERM" : "SIGKILL");
      } catch {
        // It ended between the scan and the kill.
      }
    }
    await sleep(250);
    leftovers = processesOfThisRun(dbMarker);
  }
  if (driver) report(leftovers.length === 0, "no qingfeng-desktop or WebKitWebDriver left running", `still running: ${leftovers.join(", ")}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  clearTimeout(runTimer);
  console.error(`# took ${((Date.now() - runStarted) / 1000).toFixed(1)} s; screenshots in ${OUT}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}
