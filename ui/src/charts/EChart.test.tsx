import { act, render, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { charts, init } from "../test/echarts";
import { EChart } from "./EChart";
import type { ChartOption } from "./echarts";

const A: ChartOption = { series: [{ type: "bar", data: [1, 2] }] };
const B: ChartOption = { series: [{ type: "bar", data: [3] }] };

describe("EChart", () => {
  it("draws with the SVG renderer, follows its option and the window, and is disposed on unmount", async () => {
    const onClick = vi.fn();
    const { container, rerender, unmount } = render(<EChart option={A} height={200} label="按月件数" onClick={onClick} />);
    const div = container.querySelector('[role="img"]') as HTMLElement;
    expect(div).toHaveAttribute("aria-label", "按月件数");
    expect(div.style.height).toBe("200px");
    await waitFor(() => expect(init).toHaveBeenCalled());
    const chart = charts[charts.length - 1]!;
    expect(chart.el).toBe(div);
    expect(chart.opts).toEqual({ renderer: "svg" });
    expect(chart.setOption).toHaveBeenLastCalledWith(A, { notMerge: true });

    rerender(<EChart option={B} height={200} label="按月件数" onClick={onClick} />);
    expect(chart.setOption).toHaveBeenLastCalledWith(B, { notMerge: true });

    act(() => chart.fire("click", { name: "县住建局", dataIndex: 0, value: 9 }));
    expect(onClick).toHaveBeenCalledWith({ name: "县住建局", dataIndex: 0, value: 9 });

    act(() => void window.dispatchEvent(new Event("resize")));
    await waitFor(() => expect(chart.resize).toHaveBeenCalled());

    unmount();
    expect(chart.dispose).toHaveBeenCalledTimes(1);
    chart.resize.mockClear();
    window.dispatchEvent(new Event("resize"));
    await new Promise((r) => setTimeout(r, 50));
    expect(chart.resize).not.toHaveBeenCalled();
  });
});
