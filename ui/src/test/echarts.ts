// Stand-in for src/charts/echarts.ts (jsdom has no layout): records what the
// EChart component does with each chart. setup.ts puts it in place for every test.
import { vi } from "vitest";

export type FakeChart = {
  el: HTMLElement;
  theme: unknown;
  opts: unknown;
  setOption: ReturnType<typeof vi.fn>;
  resize: ReturnType<typeof vi.fn>;
  dispose: ReturnType<typeof vi.fn>;
  on: ReturnType<typeof vi.fn>;
  /** Calls the handler the component registered for `event`. */
  fire: (event: string, params: unknown) => void;
};

export const charts: FakeChart[] = [];

export const init = vi.fn((el: HTMLElement, theme?: unknown, opts?: unknown): FakeChart => {
  const handlers = new Map<string, (p: unknown) => void>();
  const chart: FakeChart = {
    el,
    theme,
    opts,
    setOption: vi.fn(),
    resize: vi.fn(),
    dispose: vi.fn(),
    on: vi.fn((event: string, handler: (p: unknown) => void) => handlers.set(event, handler)),
    fire: (event, params) => handlers.get(event)?.(params),
  };
  charts.push(chart);
  return chart;
});
