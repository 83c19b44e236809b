// The parts of ECharts the program uses, registered once. Loaded on demand by
// EChart (a separate chunk), so the first screen does not wait for it.
import { BarChart, LineChart, PieChart } from "echarts/charts";
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from "echarts/charts";
import { GridComponent, TitleComponent, TooltipComponent } from "echarts/components";
import type { GridComponentOption, TitleComponentOption, TooltipComponentOption } from "echarts/components";
import { init, use } from "echarts/core";
import type { ComposeOption, EChartsType } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

// No legend: every chart labels its own bars and slices. Add LegendComponent here if one ever needs it.
use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, TitleComponent, SVGRenderer]);

/** An option object built only from the registered charts and components. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | TitleComponentOption
>;

export type { EChartsType };

export { init };
