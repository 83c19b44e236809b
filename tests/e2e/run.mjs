// End-to-end test of the Qingfeng desktop program: drives the real window through tauri-driver.
//
// Scenarios, each on its own fresh temporary database with its own run of the program:
// first_run.mjs (setting up the office, logging out and in), complaints.mjs (a real-name complaint
// from registration to feedback, by three officers in turn), penalty.mjs (a decision's checklist with
// a rejection and a partial payment), sync.mjs (enrolling with a real hub and syncing),
// approvals.mjs (a city leader granting a county's detention request through a real hub),
// notices.mjs (the library, a citation, and a notice previewed, issued, printed through CUPS and
// saved), recovery.mjs (a lost key file opened with the recovery code, a backup made from the
// window; a wiped machine restored from a backup), migration.mjs (an older platform's export
// imported through the open dialog) and layouts.mjs (every screen of the demo office
// at 1200×800 and 1920×1080). Run it inside Xvfb (a 1920×1080 screen) and a D-Bus session (see
// tests/e2e/README.md). Every check prints
// `ok - …` or `not ok - …`; the last line printed is always "N passed, M failed" over every
// scenario, and the exit code is 0 only if all passed. A scenario whose web engine died under it
// (WebDriver's "invalid session id") runs once more, and only that run counts (see ENGINE_GONE).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppSession, OUT, Tally, runAbort, runStarted, stopRunClock } from "./lib.mjs";
import complaints from "./complaints.mjs";
import firstRun from "./first_run.mjs";
import integrity from "./integrity.mjs";
import supervision from "./supervision.mjs";
import notices from "./notices.mjs";
import penalty from "./penalty.mjs";
import { recovery, restore } from "./recovery.mjs";
import sync from "./sync.mjs";
import approvals from "./approvals.mjs";
import layouts from "./layouts.mjs";
import migration from "./migration.mjs";
import analysis from "./analysis.mjs";

// QINGFENG_E2E_ONLY=<name>[,<name>…] runs only those scenarios (while working on them).
const ONLY = process.env.QINGFENG_E2E_ONLY?.split(",");
const SCENARIOS = [firstRun, complaints, penalty, sync, approvals, notices, integrity, supervision, migration, analysis, recovery, restore, layouts].filter(
  (s) => !ONLY || ONLY.includes(s.name),
);

/**
 * Runs checks in order under the scenario's name. Each builds on the previous one, so after the first
 * failure (or once the run deadline has passed) the rest are reported as skipped, and counted as failed,
 * rather than left to time out one by one. Returns whether all passed.
 */
async function runChecks(tally, scenario, checks, state, onFailure) {
  for (const [index, [name, run]] of checks.entries()) {
    const label = `${scenario.name}: ${name}`;
    if (state.failed || runAbort.signal.aborted) {
      tally.report(false, label, state.failed ? "skipped after an earlier failure" : `skipped: ${runAbort.signal.reason?.message}`);
      state.failed = true;
      continue;
    }
    try {
      await run();
      tally.report(true, label);
    } catch (e) {
      tally.report(false, label, e.message);
      state.failed = true;
      await onFailure?.(index + 1).catch(() => {});
    }
  }
}

async function runScenario(tally, scenario) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `qingfeng-e2e-${scenario.name}-`));
  const ctx = { tmp, db: path.join(tmp, "e2e.db"), keyFile: path.join(tmp, "e2e.key") };
  const state = { failed: false };
  const app = new AppSession({ label: scenario.name, db: ctx.db, keyFile: ctx.keyFile, env: () => ctx.appEnv ?? {} });
  try {
    await runChecks(tally, scenario, scenario.before(ctx), state);
    const steps = scenario.steps(app, ctx);
    if (state.failed || runAbort.signal.aborted) {
      tally.report(false, `${scenario.name}: program started`, "skipped after an earlier failure");
    } else {
      try {
        const pid = await app.start();
        tally.report(true, `${scenario.name}: program started (tauri-driver pid ${pid})`);
      } catch (e) {
        tally.report(false, `${scenario.name}: program started`, e.message);
        state.failed = true;
      }
    }
    await runChecks(tally, scenario, steps, state, (step) => app.screenshot(`failure-${scenario.name}-step-${step}.png`, { toasts: true }));
  } finally {
    // app.driver is set as soon as tauri-driver was spawned, even if the session never started.
    if (app.driver) {
      const leftovers = await app.stop();
      tally.report(leftovers.length === 0, `${scenario.name}: no qingfeng-desktop or WebKitWebDriver left running`, `still running: ${leftovers.join(", ")}`);
    }
  }
  try {
    await runChecks(tally, scenario, scenario.after(ctx), state);
  } finally {
    // A scenario's own servers (the hub) are stopped whatever happened before.
    await scenario.cleanup?.(ctx).catch((e) => tally.report(false, `${scenario.name}: cleanup`, e.message));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// What WebDriver answers once the window's web engine has died under it (WebKit's compositor
// thread has crashed inside Mesa's software rasterizer under Xvfb: a general protection fault in
// swrast_dri.so, in dmesg). Nothing after such an answer says anything about our program.
const ENGINE_GONE = /invalid session id|session deleted|no such window|target window already closed/i;

/**
 * Runs a scenario, and once more from a fresh database if its web engine died under it. Only the
 * last attempt counts; the first attempt's lines stay in the output, marked, so a crash is seen. A
 * check that fails for any other reason is never run again.
 */
async function runWithOneRetry(total, scenario) {
  for (let attempt = 1; ; attempt++) {
    const tally = new Tally();
    await runScenario(tally, scenario);
    const gone = tally.failures.find((reason) => ENGINE_GONE.test(reason));
    if (!gone || attempt === 2 || runAbort.signal.aborted) {
      total.passed += tally.passed;
      total.failed += tally.failed;
      return;
    }
    console.log(`# ${scenario.name}: the window's web engine died (WebDriver: ${gone.match(ENGINE_GONE)[0]}); the scenario runs once more from the start, and only that run counts`);
  }
}

const tally = new Tally();
try {
  fs.mkdirSync(OUT, { recursive: true });
  // Screenshots and logs left by an earlier run would otherwise pass for this run's.
  for (const name of fs.readdirSync(OUT)) if (name.endsWith(".png") || name.endsWith(".log")) fs.rmSync(path.join(OUT, name));
  for (const scenario of SCENARIOS) await runWithOneRetry(tally, scenario);
} catch (e) {
  tally.report(false, "test harness", e.message);
} finally {
  stopRunClock();
  console.error(`# took ${((Date.now() - runStarted) / 1000).toFixed(1)} s; screenshots in ${OUT}`);
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed === 0 && tally.passed > 0 ? 0 : 1;
}
