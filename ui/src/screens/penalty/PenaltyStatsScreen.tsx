// 执行统计: items executed on time, overdue items, and the rejection rate (the seed's "error
// rate") by month and by responsible unit, for penalty decisions or rectification lists.
import { Alert, Card, Col, Row, Segmented, Skeleton, Statistic, Table } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { ChecklistScope, PenaltyStats, RejectionRate } from "../../bindings";
import { EChart } from "../../charts/EChart";
import type { ChartOption } from "../../charts/echarts";
import { LIGHT_PALETTE, PALETTE } from "../../charts/options";
import { PageHead } from "../complaints/common";

/** Percent with one decimal, or "—" when nothing was counted (never a division by zero). */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part * 100) / whole).toFixed(1)}%` : "—";
}

function rate(r: RejectionRate): number {
  return r.reviewed > 0 ? Math.round((r.rejected * 1000) / r.reviewed) / 10 : 0;
}

/** Reviews and rejections per category as columns, for months or units. */
export function rejectionOption(rows: RejectionRate[], horizontal: boolean): ChartOption {
  const names = rows.map((r) => r.key);
  const category = { type: "category" as const, data: names, axisLabel: { interval: 0 } };
  const value = { type: "value" as const, minInterval: 1 };
  return {
    color: [PALETTE[1]!, LIGHT_PALETTE.red],
    tooltip: { trigger: "axis", confine: true },
    legend: { data: ["审核次数", "驳回次数"], top: 0 },
    grid: { left: horizontal ? 120 : 40, right: 24, top: 32, bottom: 24, containLabel: false },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [
      { name: "审核次数", type: "bar", data: rows.map((r) => r.reviewed) },
      { name: "驳回次数", type: "bar", data: rows.map((r) => r.rejected) },
    ],
  };
}

function RateTable({ rows, keyTitle, testId }: { rows: RejectionRate[]; keyTitle: string; testId: string }) {
  return (
    <Table<RejectionRate>
      size="small"
      data-testid={testId}
      rowKey="key"
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: "尚无审核记录" }}
      columns={[
        { key: "key", title: keyTitle, dataIndex: "key" },
        { key: "reviewed", title: "审核", dataIndex: "reviewed", width: 72 },
        { key: "rejected", title: "驳回", dataIndex: "rejected", width: 72 },
        { key: "rate", title: "驳回率", width: 90, render: (_, r) => `${rate(r).toFixed(1)}%` },
      ]}
    />
  );
}

export function PenaltyStatsScreen() {
  const api = useApi();
  const [scope, setScope] = useState<ChecklistScope>("penalty");
  const [stats, setStats] = useState<PenaltyStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setStats(null);
    setError(null);
    api.penaltyStats(scope).then(
      (s) => live && setStats(s),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, scope]);

  const reviewed = stats ? stats.by_month.reduce((n, r) => n + r.reviewed, 0) : 0;
  const rejected = stats ? stats.by_month.reduce((n, r) => n + r.rejected, 0) : 0;
  return (
    <div className="qf-page" data-testid="page-penalty-stats">
      <PageHead
        title="执行统计"
        sub="按时完成率、逾期事项和驳回率（审核发现问题的比例）"
        extra={
          <Segmented<ChecklistScope>
            data-testid="stats-scope"
            value={scope}
            onChange={setScope}
            options={[
              { value: "penalty", label: "处分执行" },
              { value: "rectification", label: <span data-testid="stats-scope-rectification">整改清单</span> },
            ]}
          />
        }
      />
      {error && <Alert type="error" showIcon className="qf-block-alert" message={error} />}
      {!stats ? (
        !error && <Skeleton active />
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col span={6}>
              <Card size="small" className="qf-card">
                <Statistic title="已审核通过事项" value={stats.items_approved} suffix="项" />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small" className="qf-card">
                <Statistic
                  title="按时完成率"
                  value={percent(stats.approved_on_time, stats.items_approved)}
                  valueRender={(v) => <span data-testid="stats-on-time">{v}</span>}
                />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small" className="qf-card">
                <Statistic
                  title="逾期未完成事项"
                  value={stats.open_overdue}
                  suffix="项"
                  valueStyle={stats.open_overdue > 0 ? { color: LIGHT_PALETTE.red } : undefined}
                  valueRender={(v) => <span data-testid="stats-overdue">{v}</span>}
                />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small" className="qf-card">
                <Statistic title="驳回率" value={percent(rejected, reviewed)} valueRender={(v) => <span data-testid="stats-rejection">{v}</span>} />
              </Card>
            </Col>
          </Row>
          {scope === "rectification" && (
            <Row gutter={[16, 16]} className="qf-home-cards" data-testid="stats-reform">
              <Col span={8}>
                <Card size="small" className="qf-card">
                  <Statistic title="以案促改清单" value={stats.reform_lists} suffix="份" valueRender={(v) => <span data-testid="stats-reform-lists">{v}</span>} />
                </Card>
              </Col>
              <Col span={8}>
                <Card size="small" className="qf-card">
                  <Statistic title="以案促改已完成" value={stats.reform_done} suffix="份" />
                </Card>
              </Col>
              <Col span={8}>
                <Card size="small" className="qf-card">
                  <Statistic
                    title="指导意见"
                    value={stats.guidance_given}
                    suffix="条"
                    valueRender={(v) => <span data-testid="stats-guidance">{v}</span>}
                  />
                  {stats.guidance_by_month.length > 0 && (
                    <div className="qf-list-note">{stats.guidance_by_month.map((m) => `${m.month.replace("-", "年")}月 ${m.count} 条`).join("；")}</div>
                  )}
                </Card>
              </Col>
            </Row>
          )}
          <Row gutter={[16, 16]} className="qf-home-cards">
            <Col span={12}>
              <Card size="small" title="按月驳回情况" className="qf-card">
                <div data-testid="chart-month">
                  <EChart option={rejectionOption(stats.by_month, false)} height={240} label="按月审核与驳回次数" />
                </div>
                <RateTable rows={stats.by_month} keyTitle="月份" testId="rate-month" />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title="按责任单位驳回情况" className="qf-card">
                <div data-testid="chart-unit">
                  <EChart
                    option={rejectionOption(stats.by_unit, true)}
                    height={Math.max(200, stats.by_unit.length * 32 + 60)}
                    label="各责任单位审核与驳回次数"
                  />
                </div>
                <RateTable rows={stats.by_unit} keyTitle="责任单位" testId="rate-unit" />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
