// Every date a screen fills in by itself is Beijing's (issue #16 item 8): a default taken from
// the machine's clock with dayjs() is the UTC date from 16:00 to 24:00 UTC, a day behind the
// office's. The screens take today from beijingToday()/todayIso() in screens/complaints/common.
import { describe, expect, it } from "vitest";

// Every source file of the UI but the tests, as text (Vite reads them at build time of the test).
const SOURCES = import.meta.glob(["./**/*.{ts,tsx}", "!./**/*.test.{ts,tsx}"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

describe("dates on screens", () => {
  it("never take today from the machine's clock", () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(50);
    const offenders = Object.entries(SOURCES)
      .filter(([path]) => !path.endsWith("complaints/common.tsx"))
      .filter(([, text]) => /\bdayjs\(\)/.test(text))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});
