// Scenario: 数据迁移 (issue #19 item 5). 信访室 opens 数据迁移, chooses an older platform's export
// (tests/e2e/fixtures/legacy-export.xlsx, twelve complaints written with rust_xlsxwriter by the
// core's migration tests) in the platform's open dialog, sees the guessed column mapping, saves
// it by name, runs the dry run (no problems, twelve new records), imports with the progress bar,
// and sees the import listed; a second import of the same file adds nothing. Screenshots of the
// mapping and of the result at 1200×800 and 1920×1080. Afterwards the command line must find the
// twelve complaints and refuse nothing new.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { cliOk, createOffice, dbArgs } from "./lib.mjs";

const ADMIN_PASSWORD = "Admin#2026pw";
const USERS = { xinfang: { name: "王信访", role: "petitions", password: "Xinfang#2026" } };
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "legacy-export.xlsx");

export default {
  name: "migration",

  before: (ctx) => [
    ["the office and its petitions officer are made with the command-line program", async () => {
      await createOffice(ctx, ADMIN_PASSWORD, USERS);
    }],
  ],

  steps: (app) => [
    ["信访室 opens 数据迁移 and chooses the export in the platform's open dialog", async () => {
      await app.find("login-username", 30_000);
      await app.login("xinfang", USERS.xinfang.password, USERS.xinfang.name);
      await app.click("nav-migration");
      await app.find("page-migration");
      await app.click("migration-pick");
      await app.answerFileDialog("选择原平台导出的文件", FIXTURE, "open");
      await app.expectText("migration-file", "legacy-export.xlsx", "第 1 行为表头", "共 19 列");
      // The headers were matched to the fields by the names older platforms use (the dry run
      // below reads every required field through this guess; the screenshots show it).
      await app.expectText("migration-field-original_number", "原编号", "必填");
      await app.find("migration-column-status");
      await app.shots("migration-mapping");
    }],
    ["the guessed mapping is saved by name", async () => {
      await app.typeInto("migration-mapping-name", "原信访平台");
      await app.click("migration-save-mapping");
      await app.expectText("migration-notice", "已保存列对应关系“原信访平台”");
    }],
    ["the dry run checks every row and finds twelve new records and no problems", async () => {
      await app.click("migration-dry-run");
      await app.expectText("migration-result", "试运行完成", "新记录 12 条", "有问题的行 0 行");
    }],
    ["the import enters the twelve records and lists the import; screenshots", async () => {
      await app.click("migration-import");
      await app.expectText("migration-result", "导入完成", "新记录 12 条");
      await app.expectRow("migration-batch", "legacy-export.xlsx", "原信访平台", "12");
      await app.shots("migration-imported");
    }],
    ["a second run of the same file finds every record already imported", async () => {
      await app.click("migration-dry-run");
      await app.expectText("migration-result", "新记录 0 条", "已导入过 12 条");
    }],
  ],

  after: (ctx) => [
    ["the command line finds the twelve complaints and adds nothing on a re-run", async () => {
      const as = { password: USERS.xinfang.password };
      const again = JSON.parse(
        await cliOk([...dbArgs(ctx), "import", "complaints", FIXTURE, "--mapping", "原信访平台", "--as", "xinfang", "--json"], as),
      );
      if (again.outcome !== "nothing_new" || again.already_imported !== 12) throw new Error(`re-run: ${JSON.stringify(again)}`);
      const list = JSON.parse(await cliOk([...dbArgs(ctx), "complaint", "list", "--as", "xinfang", "--json"], as));
      const rows = Array.isArray(list) ? list : list.items ?? list.rows ?? [];
      if (rows.length !== 12) throw new Error(`complaint list: ${rows.length} complaints`);
    }],
  ],

  cleanup: async () => {},
};
