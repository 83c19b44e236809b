import { describe, expect, it } from "vitest";
import type { DeadlineView } from "./bindings";
import {
  ACTION_LABELS,
  LIGHT_COLORS,
  STATUS_LABELS,
  countdownText,
  formatChineseDate,
  officeLevelLabel,
  roleLabel,
} from "./labels";

const due = (status: string, light: DeadlineView["light"], left: number) => ({
  status,
  light,
  working_days_left: left,
});

describe("labels", () => {
  it("formats dates with the Chinese weekday computed from the date", () => {
    expect(formatChineseDate("2026-11-21", 6)).toBe("2026年11月21日 星期六");
    expect(formatChineseDate("2026-11-22", 7)).toBe("2026年11月22日 星期日");
    expect(formatChineseDate("2024-02-29", 4)).toBe("2024年2月29日 星期四");
  });

  it("names levels and roles in Chinese", () => {
    expect(officeLevelLabel("prefecture")).toBe("州市级");
    expect(roleLabel("trial")).toBe("案件审理室");
    expect(roleLabel("leader")).toBe("分管领导");
  });

  it("says how much time a deadline has left in working days", () => {
    expect(countdownText(due("open", "green", 12))).toBe("剩 12 个工作日");
    expect(countdownText(due("open", "yellow", 0))).toBe("今日到期");
    expect(countdownText(due("open", "red", -3))).toBe("已逾期 3 个工作日");
    expect(countdownText(due("open", "red", 0))).toBe("已逾期");
    expect(countdownText(due("done", "done", 0))).toBe("已完成");
    expect(countdownText(due("cancelled", "cancelled", 0))).toBe("已取消");
  });

  it("names every status, action and light colour", () => {
    expect(STATUS_LABELS.with_department).toBe("已移送承办部门");
    expect(ACTION_LABELS.decide_approval).toBe("审批");
    expect([LIGHT_COLORS.red, LIGHT_COLORS.yellow, LIGHT_COLORS.green]).toEqual(["red", "gold", "green"]);
  });
});
