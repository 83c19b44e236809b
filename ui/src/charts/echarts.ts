// The parts of ECharts the program uses, registered once. Loaded on demand by
// EChart (a separate chunk), so the first screen does not wait for it.
import { BarChart, LineChart, PieChart } from "echarts/charts";
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import type {
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from "echarts/components";
import { init, use } from "echarts/core";
import type { ComposeOption, EChartsType } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

// The legend is registered: 执行统计's paired bars (审核 and 驳回) and the ring's parts are named
// in one. Without it ECharts silently draws no legend for an option that asks for one.
use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, SVGRenderer]);

/** An option object built only from the registered charts and components. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | TitleComponentOption
>;

export type { EChartsType };

export { init };
