// The registered ECharts parts draw what the options ask for: a chart with a legend shows it
// (ECharts silently drops a legend whose component is not registered). Rendered for real, to an
// SVG string on the server side, without a browser.
import { describe, expect, it, vi } from "vitest";
import { STATS } from "../test/stats";
import { init } from "./echarts";
import { pieOption } from "./options";

// The other tests draw with a recording stand-in (src/test/setup.ts); this one draws for real.
vi.unmock("./echarts");

describe("registered chart parts", () => {
  it("draws the ring's legend with each part's name and count", () => {
    const chart = init(null, undefined, { renderer: "svg", ssr: true, width: 360, height: 280 });
    chart.setOption(pieOption(STATS.by_channel));
    const svg = chart.renderToSVGString();
    chart.dispose();
    expect(svg).toContain("来信 25");
    expect(svg).toContain("网络 17");
  });
});
