// A recording stand-in for the EChart component, for screen tests:
//   vi.mock("../../charts/EChart", () => import("../../test/echart"));
// then `chartProps(container)` gives the props of the chart inside a container.
import type { EChartProps } from "../charts/EChart";

const props = new WeakMap<Element, EChartProps>();

export function EChart(p: EChartProps) {
  return <div data-testid="echart" aria-label={p.label} ref={(el) => void (el && props.set(el, p))} />;
}

/** The props given to the (only) chart inside `container`. */
export function chartProps(container: HTMLElement): EChartProps {
  const el = container.querySelector('[data-testid="echart"]');
  const p = el ? props.get(el) : undefined;
  if (!p) throw new Error("no chart in this container");
  return p;
}

type Series = { type?: string; data?: unknown[] };

/** The first series of a chart's option. */
export function seriesOf(p: EChartProps): Series {
  const s = p.option.series;
  return ((Array.isArray(s) ? s[0] : s) ?? {}) as Series;
}

/** The category names of a chart's option (x axis for columns and lines, y axis for bars). */
export function categoriesOf(p: EChartProps): unknown[] {
  const axis = (a: unknown) => (Array.isArray(a) ? a[0] : a) as { type?: string; data?: unknown[] } | undefined;
  const x = axis(p.option.xAxis);
  const y = axis(p.option.yAxis);
  return (x?.type === "category" ? x.data : y?.type === "category" ? y.data : undefined) ?? [];
}
