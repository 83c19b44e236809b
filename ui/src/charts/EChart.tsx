// One ECharts chart in a div: SVG renderer (reliable in WebKitGTK and WebView2),
// disposed on unmount, resized with the window and its container.
import { Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import type { ChartOption, EChartsType } from "./echarts";

export type ChartClick = { name: string; dataIndex: number; value: unknown };

export type EChartProps = {
  option: ChartOption;
  /** Height in pixels; the width follows the container. */
  height: number;
  /** What the chart shows, for screen readers. */
  label: string;
  onClick?: (params: ChartClick) => void;
  className?: string;
};

let loading: Promise<typeof import("./echarts")> | null = null;

/** ECharts is loaded on first use only (its own chunk, about 0.5 MB). */
function loadEcharts() {
  loading ??= import("./echarts").catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

export function EChart({ option, height, label, onClick, className }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const latest = useRef(option);
  latest.current = option;
  const click = useRef(onClick);
  click.current = onClick;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    let frame = 0;
    let observer: ResizeObserver | null = null;
    const resize = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => chart.current?.resize());
    };
    loadEcharts().then(
      ({ init }) => {
        const node = el.current;
        if (!live || !node) return;
        const c = init(node, undefined, { renderer: "svg" });
        chart.current = c;
        c.setOption(latest.current, { notMerge: true });
        c.on("click", (p) => {
          const { name, dataIndex, value } = p as { name?: unknown; dataIndex?: unknown; value?: unknown };
          click.current?.({ name: String(name ?? ""), dataIndex: Number(dataIndex ?? -1), value });
        });
        window.addEventListener("resize", resize);
        if (typeof ResizeObserver === "function") {
          observer = new ResizeObserver(resize);
          observer.observe(node);
        }
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      window.removeEventListener("resize", resize);
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  if (failed) {
    return (
      <div className={className} style={{ height }}>
        <Typography.Text type="secondary">图表未能加载，请重新打开本页。</Typography.Text>
      </div>
    );
  }
  return (
    <div
      ref={el}
      role="img"
      aria-label={label}
      className={className ? `qf-echart ${className}` : "qf-echart"}
      style={{ height, width: "100%" }}
    />
  );
}
