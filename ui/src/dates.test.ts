// Every date a screen fills in by itself is Beijing's (issue #16 item 8): a default taken from
// the machine's clock with dayjs() is the UTC date from 16:00 to 24:00 UTC, a day behind the
// office's. The screens take today from beijingToday()/todayIso() in screens/complaints/common.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("dates on screens", () => {
  it("never take today from the machine's clock", () => {
    const offenders = sources(join(__dirname))
      .filter((path) => !path.endsWith(join("complaints", "common.tsx")))
      .filter((path) => /\bdayjs\(\)/.test(readFileSync(path, "utf8")));
    expect(offenders).toEqual([]);
  });
});
