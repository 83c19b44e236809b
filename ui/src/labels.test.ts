import { describe, expect, it } from "vitest";
import { formatChineseDate, officeLevelLabel, roleLabel } from "./labels";

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
});
