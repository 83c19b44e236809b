// 统计分析: the office's complaints of a period in numbers and charts, a summary
// of one reported unit for an inspection tour (巡察汇总), and masked exports.
import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, DatePicker, Empty, Input, Row, Space, Statistic, Typography } from "antd";
import type { TableColumnsType } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { emptyFilter, errorMessage, useApi } from "../../api";
import type {
  ComplaintFilter,
  ComplaintStatus,
  ComplaintSummary,
  Count,
  ExportFormat,
  Statistics,
  StatsFilter,
  UnitSummary,
} from "../../bindings";
import { EChart } from "../../charts/EChart";
import type { ChartClick } from "../../charts/EChart";
import type { ChartOption } from "../../charts/echarts";
import { PALETTE, barOption, barsHeight, fillMonths, markPartialMonth, monthOption, pieOption } from "../../charts/options";
import { formatPerMille, periodText } from "./format";
import {
  ComplaintTable,
  DATE_FORMAT,
  PageHead,
  StatusTag,
  beijingToday,
  complaintColumns,
  isoDate,
  nextDueColumn,
  todayIso,
} from "../complaints/common";
import { useNav } from "../complaints/nav";

/** Dates of receipt, inclusive; null is unbounded. */
export type Period = StatsFilter;

/** What the screen keeps while the person looks at a complaint and comes back. */
export type StatsState = { period: Period; stats: Statistics | null; unit: string; summary: UnitSummary | null };

/** The backend exports at most this many complaints at a time. */
export const EXPORT_LIMIT = 5000;
export const EXPORT_NOTE = "检举人身份已屏蔽，导出记录已留痕";
export const UNIT_REQUIRED = "请填写要汇总的被反映单位。";

const ALL: Period = { from: null, to: null };
const CHART_HEIGHT = 260;

type RangeValue = [Dayjs | null, Dayjs | null] | null;

function toRange(p: Period | undefined): RangeValue {
  if (!p || (!p.from && !p.to)) return null;
  return [p.from ? dayjs(p.from) : null, p.to ? dayjs(p.to) : null];
}

function toPeriod(r: RangeValue): Period {
  return { from: r?.[0] ? isoDate(r[0]) : null, to: r?.[1] ? isoDate(r[1]) : null };
}

/** The complaints of a period, as the export command wants them: every other field unset. */
export function periodFilter(p: Period): ComplaintFilter {
  return { ...emptyFilter(), received_from: p.from, received_to: p.to };
}

function presets(): Array<{ label: string; value: [Dayjs, Dayjs] }> {
  const today = beijingToday();
  const lastYear = today.subtract(1, "year");
  return [
    { label: "本月", value: [today.startOf("month"), today] },
    { label: "本季度", value: [today.startOf("month").subtract(today.month() % 3, "month"), today] },
    { label: "今年", value: [today.startOf("year"), today] },
    { label: "去年", value: [lastYear.startOf("year"), lastYear.endOf("year")] },
    { label: "近 12 个月", value: [today.subtract(11, "month").startOf("month"), today] },
  ];
}

function NumberCard({
  title,
  value,
  suffix,
  hint,
  testId,
  alert,
}: {
  title: string;
  value: number | string | undefined;
  suffix?: string;
  hint: string;
  testId?: string;
  alert?: boolean;
}) {
  return (
    <Card size="small" className="qf-card qf-stats-number">
      <Statistic
        title={title}
        value={value ?? "—"}
        formatter={(v) => <span data-testid={testId}>{v}</span>}
        suffix={value === undefined ? undefined : suffix}
        valueStyle={alert ? { color: "#cf1322" } : { color: "#1f5f8b" }}
      />
      <Typography.Text type="secondary" className="qf-stats-hint">
        {hint}
      </Typography.Text>
    </Card>
  );
}

function ChartCard({
  title,
  testId,
  counts,
  option,
  height,
  extra,
  onClick,
}: {
  title: string;
  testId: string;
  counts: Count[];
  option: ChartOption;
  height: number;
  extra?: ReactNode;
  onClick?: (c: ChartClick) => void;
}) {
  return (
    <Card size="small" title={title} extra={extra} className="qf-card qf-chart-card">
      <div data-testid={testId}>
        {counts.length === 0 ? (
          <div className="qf-chart-empty" style={{ height }}>
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所选期间没有数据" />
          </div>
        ) : (
          <EChart option={option} height={height} label={title} onClick={onClick} />
        )}
      </div>
    </Card>
  );
}

function CountBlock({
  title,
  counts,
  unit,
  testId,
  render,
}: {
  title: string;
  counts: Count[];
  unit: string;
  testId: string;
  render?: (c: Count) => ReactNode;
}) {
  return (
    <div className="qf-count-block" data-testid={testId}>
      <div className="qf-count-title">{title}</div>
      {counts.length === 0 ? (
        <Typography.Text type="secondary">—</Typography.Text>
      ) : (
        <ul className="qf-count-list">
          {counts.map((c) => (
            <li key={c.key} className="qf-count-row">
              <span className="qf-count-label">{render ? render(c) : c.label}</span>
              <span className="qf-count-value">
                {c.count} {unit}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const self = (c: ComplaintSummary) => c;

function UnitResult({ summary, onOpen }: { summary: UnitSummary; onOpen: (c: ComplaintSummary) => void }) {
  const columns = useMemo<TableColumnsType<ComplaintSummary>>(() => [...complaintColumns(self), nextDueColumn(self)], []);
  return (
    <div data-testid="stats-unit-result" className="qf-unit-result">
      <div className="qf-unit-head">
        <Typography.Text strong>
          被反映单位名称含“{summary.unit}”的检举控告共 {summary.total} 件
        </Typography.Text>
        {summary.complaints.length >= EXPORT_LIMIT && (
          <Typography.Text type="secondary" className="qf-list-note">
            只列出最近收到的 {EXPORT_LIMIT} 件
          </Typography.Text>
        )}
      </div>
      {summary.total > 0 && (
        <Row gutter={12} className="qf-unit-counts">
          <Col span={8}>
            <CountBlock
              title="按状态"
              counts={summary.by_status}
              unit="件"
              testId="stats-unit-status"
              render={(c) => <StatusTag status={c.key as ComplaintStatus} label={c.label} />}
            />
          </Col>
          <Col span={8}>
            <CountBlock title="按问题类别" counts={summary.by_category} unit="件" testId="stats-unit-categories" />
          </Col>
          <Col span={8}>
            <CountBlock title="被反映人（涉及件数）" counts={summary.people} unit="件" testId="stats-unit-people" />
          </Col>
        </Row>
      )}
      <ComplaintTable<ComplaintSummary>
        rows={summary.complaints}
        rowKey={(c) => c.id}
        columns={columns}
        rowTestId="stats-unit-row"
        empty="没有反映该单位的检举控告"
        onOpen={onOpen}
      />
    </div>
  );
}

export function StatsScreen({ saved, onSave }: { saved: StatsState | null; onSave: (s: StatsState) => void }) {
  const api = useApi();
  const nav = useNav();
  const [range, setRange] = useState<RangeValue>(() => toRange(saved?.period));
  const [stats, setStats] = useState<Statistics | null>(saved?.stats ?? null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [unit, setUnit] = useState(saved?.unit ?? "");
  const [summary, setSummary] = useState<UnitSummary | null>(saved?.summary ?? null);
  const [summing, setSumming] = useState(false);
  const [unitError, setUnitError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const statsSeq = useRef(0);
  const unitSeq = useRef(0);
  const unitCard = useRef<HTMLDivElement>(null);
  const kept = useRef<StatsState>(saved ?? { period: ALL, stats: null, unit: "", summary: null });

  function keep(patch: Partial<StatsState>) {
    kept.current = { ...kept.current, ...patch };
    onSave(kept.current);
  }

  async function query(period: Period = toPeriod(range)) {
    const mine = ++statsSeq.current;
    setLoading(true);
    setError(null);
    try {
      const found = await api.statistics(period);
      if (mine !== statsSeq.current) return;
      setStats(found);
      keep({ period, stats: found });
    } catch (e) {
      if (mine === statsSeq.current) setError(errorMessage(e));
    } finally {
      if (mine === statsSeq.current) setLoading(false);
    }
  }

  async function summarize(name: string) {
    const wanted = name.trim();
    const mine = ++unitSeq.current;
    if (!wanted) {
      setUnitError(UNIT_REQUIRED);
      return;
    }
    setUnit(wanted);
    setSumming(true);
    setUnitError(null);
    try {
      const found = await api.unitSummary(wanted);
      if (mine !== unitSeq.current) return;
      setSummary(found);
      keep({ unit: wanted, summary: found });
    } catch (e) {
      if (mine === unitSeq.current) setUnitError(errorMessage(e));
    } finally {
      if (mine === unitSeq.current) setSumming(false);
    }
  }

  async function exportAs(format: ExportFormat) {
    setExporting(format);
    setExported(null);
    setExportError(null);
    try {
      setExported(await api.complaintExport(periodFilter(toPeriod(range)), format));
    } catch (e) {
      setExportError(errorMessage(e));
    } finally {
      setExporting(null);
    }
  }

  // Count the whole record (or the period the person left) on arrival, and
  // read a kept unit summary again: it is never shown from a stale copy alone.
  useEffect(() => {
    void query(saved?.period ?? ALL);
    if (saved?.summary) void summarize(saved.summary.unit);
  }, []);

  const options = useMemo(() => {
    if (!stats) return null;
    return {
      // Months and presets follow Beijing's date, as every business date does.
      month: monthOption(markPartialMonth(fillMonths(stats.by_month, stats.from, stats.to, todayIso().slice(0, 7)), todayIso())),
      channel: pieOption(stats.by_channel),
      category: barOption(stats.by_category, PALETTE[1]),
      status: barOption(stats.by_status, PALETTE[2]),
      unit: barOption(stats.by_unit, PALETTE[0]),
    };
  }, [stats]);

  function summarizeFromChart(c: ChartClick) {
    if (!c.name) return;
    void summarize(c.name);
    unitCard.current?.scrollIntoView?.({ behavior: "smooth", block: "start" });
  }

  const middleHeight = stats ? barsHeight(Math.max(stats.by_category.length, stats.by_status.length), CHART_HEIGHT) : 0;
  const chosen = toPeriod(range);

  return (
    <div className="qf-page qf-stats" data-testid="page-stats">
      <PageHead
        title="统计分析"
        sub={stats ? `收到日期：${periodText(stats.from, stats.to)}` : "按收到日期统计本机关登记的检举控告"}
      />
      <Card size="small" className="qf-card qf-stats-bar">
        <div className="qf-stats-bar-row">
          <Space size={8} wrap>
            <span className="qf-stats-bar-label">收到日期</span>
            <span data-testid="stats-period" className="qf-stats-period">
              <DatePicker.RangePicker
                id={{ start: "stats-from", end: "stats-to" }}
                value={range}
              onChange={(v) => setRange(v)}
              format={DATE_FORMAT}
              allowEmpty={[true, true]}
              placeholder={["起始日期（不限）", "截止日期（不限）"]}
              presets={presets()}
              className="qf-stats-range"
            />
            </span>
            <Button type="primary" data-testid="stats-query" loading={loading} onClick={() => void query()}>
              查询
            </Button>
          </Space>
          <Space size={8} wrap>
            <Button
              icon={<DownloadOutlined />}
              data-testid="stats-export-xlsx"
              loading={exporting === "xlsx"}
              disabled={exporting !== null}
              onClick={() => void exportAs("xlsx")}
            >
              导出 Excel
            </Button>
            <Button
              icon={<DownloadOutlined />}
              data-testid="stats-export-csv"
              loading={exporting === "csv"}
              disabled={exporting !== null}
              onClick={() => void exportAs("csv")}
            >
              导出 CSV
            </Button>
          </Space>
        </div>
        <Typography.Text type="secondary" className="qf-stats-note" data-testid="stats-export-note">
          导出所选期间（{periodText(chosen.from, chosen.to)}）收到的检举控告，每次最多 {EXPORT_LIMIT} 件；{EXPORT_NOTE}。
        </Typography.Text>
        {exported && (
          <Alert
            type="success"
            showIcon
            closable
            onClose={() => setExported(null)}
            className="qf-stats-export-alert"
            data-testid="stats-export-result"
            message={
              <span>
                已导出到 <Typography.Text copyable={{ text: exported, tooltips: ["复制路径", "已复制"] }}>{exported}</Typography.Text>
              </span>
            }
          />
        )}
        {exportError && (
          <Alert
            type="error"
            showIcon
            className="qf-stats-export-alert"
            data-testid="stats-export-error"
            message={exportError}
          />
        )}
      </Card>

      {error && <Alert type="error" showIcon message={error} className="qf-block-alert" data-testid="stats-error" />}

      <Row gutter={12} className="qf-stats-row">
        <Col span={6}>
          <NumberCard title="总件数" value={stats?.total} suffix="件" hint="所选期间收到的检举控告" testId="stats-total" />
        </Col>
        <Col span={6}>
          <NumberCard
            title="有期限的件数"
            value={stats?.with_deadlines}
            suffix="件"
            hint="设有办理期限（未完成或已完成）"
            testId="stats-with-deadlines"
          />
        </Col>
        <Col span={6}>
          <NumberCard
            title="逾期件数"
            value={stats?.overdue}
            suffix="件"
            hint="正在逾期或逾期后才完成"
            testId="stats-overdue"
            alert={(stats?.overdue ?? 0) > 0}
          />
        </Col>
        <Col span={6}>
          <NumberCard
            title="逾期率"
            value={stats ? formatPerMille(stats.overdue_per_mille) : undefined}
            hint="逾期件数 ÷ 有期限的件数"
            testId="stats-overdue-rate"
            alert={(stats?.overdue ?? 0) > 0}
          />
        </Col>
      </Row>

      {stats && options ? (
        <>
          <Row gutter={12} className="qf-stats-row">
            <Col span={16}>
              <ChartCard
                title="按月件数"
                testId="stats-chart-month"
                counts={stats.by_month}
                option={options.month}
                height={CHART_HEIGHT}
              />
            </Col>
            <Col span={8}>
              <ChartCard
                title="按渠道"
                testId="stats-chart-channel"
                counts={stats.by_channel}
                option={options.channel}
                height={CHART_HEIGHT}
              />
            </Col>
          </Row>
          <Row gutter={12} className="qf-stats-row">
            <Col span={12}>
              <ChartCard
                title="按问题类别"
                testId="stats-chart-category"
                counts={stats.by_category}
                option={options.category}
                height={middleHeight}
                extra={<Typography.Text type="secondary">一件可涉及多个类别</Typography.Text>}
              />
            </Col>
            <Col span={12}>
              <ChartCard
                title="按状态"
                testId="stats-chart-status"
                counts={stats.by_status}
                option={options.status}
                height={middleHeight}
              />
            </Col>
          </Row>
          <Row gutter={12} className="qf-stats-row">
            <Col span={24}>
              <ChartCard
                title="被反映单位（前 20 名）"
                testId="stats-chart-unit"
                counts={stats.by_unit}
                option={options.unit}
                height={barsHeight(stats.by_unit.length)}
                extra={<Typography.Text type="secondary">点击单位可查看其巡察汇总</Typography.Text>}
                onClick={summarizeFromChart}
              />
            </Col>
          </Row>
        </>
      ) : (
        !error && <Card size="small" className="qf-card qf-stats-row" loading />
      )}

      <Card
        ref={unitCard}
        size="small"
        className="qf-card qf-stats-unit"
        title="巡察汇总"
        extra={<Typography.Text type="secondary">按被反映单位汇总全部检举控告，供巡视巡察参考</Typography.Text>}
      >
        <Space.Compact className="qf-unit-form">
          <Input
            data-testid="stats-unit-input"
            value={unit}
            onChange={(e) => setUnit(e.target.value)}
            onPressEnter={() => void summarize(unit)}
            placeholder="被反映单位名称或其一部分，如“住建局”"
            maxLength={100}
            allowClear
          />
          <Button type="primary" data-testid="stats-unit-submit" loading={summing} onClick={() => void summarize(unit)}>
            汇总
          </Button>
        </Space.Compact>
        {unitError && (
          <Alert type="error" showIcon message={unitError} className="qf-unit-alert" data-testid="stats-unit-error" />
        )}
        {summary && <UnitResult summary={summary} onOpen={(c) => nav.go({ page: "complaint", id: c.id })} />}
      </Card>
    </div>
  );
}
