// 期限看板: every open deadline of the office, overdue first in the counts, earliest first in the table.
import { Alert, Button, Card, Col, Row, Statistic, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useEffect, useMemo, useState } from "react";
import { errorMessage, useApi } from "../../api";
import { EChart } from "../../charts/EChart";
import { lightsOption } from "../../charts/options";
import type { Dashboard, DashboardItem, Light } from "../../bindings";
import {
  DEADLINE_KIND_LABELS,
  LIGHT_LABELS,
  PROVISIONAL_DEADLINE_LABEL,
  countdownText,
  formatChineseDate,
  labelOf,
} from "../../labels";
import { LightTag, PageHead, clickableRow } from "./common";
import { useNav } from "./nav";

const CARDS: Array<{ light: Light; color: string; hint: string }> = [
  { light: "red", color: "#cf1322", hint: "已过到期日仍未完成" },
  { light: "yellow", color: "#d48806", hint: "5 个工作日内到期" },
  { light: "green", color: "#389e0d", hint: "期限充裕" },
];

export function DashboardScreen() {
  const api = useApi();
  const nav = useNav();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [only, setOnly] = useState<Light | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    api.dashboard().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload]);

  const columns = useMemo<TableColumnsType<DashboardItem>>(
    () => [
      {
        key: "light",
        title: "状态",
        width: 88,
        render: (_: unknown, i: DashboardItem) => <LightTag light={i.deadline.light} />,
      },
      {
        key: "kind",
        title: "期限类别",
        width: 120,
        render: (_: unknown, i: DashboardItem) => labelOf(DEADLINE_KIND_LABELS, i.deadline.kind) || i.deadline.label,
      },
      {
        key: "due",
        title: "到期日",
        width: 150,
        render: (_: unknown, i: DashboardItem) => (
          <span className="qf-nowrap">
            {i.deadline.due}
            {i.deadline.provisional && (
              <Tag color="warning" className="qf-provisional" title={PROVISIONAL_DEADLINE_LABEL}>
                暂定
              </Tag>
            )}
          </span>
        ),
      },
      {
        key: "left",
        title: "剩余工作日",
        width: 150,
        render: (_: unknown, i: DashboardItem) => (
          <span className={`qf-countdown qf-countdown-${i.deadline.light}`}>{countdownText(i.deadline)}</span>
        ),
      },
      {
        key: "number",
        title: "编号",
        width: 156,
        // Office-wide duties (the quarterly report) belong to no complaint.
        render: (_: unknown, i: DashboardItem) => <span className="qf-number">{i.number || "（本部门）"}</span>,
      },
      { key: "summary", title: "摘要", ellipsis: { showTitle: true }, dataIndex: "summary" },
    ],
    [],
  );

  const rows = (data?.items ?? []).filter((i) => !only || i.deadline.light === only);
  const lights = useMemo(() => (data ? lightsOption(data.red, data.yellow, data.green) : null), [data]);

  return (
    <div className="qf-page" data-testid="page-dashboard">
      <PageHead
        title="期限看板"
        sub={data ? `今天 ${formatChineseDate(data.today)}` : undefined}
        extra={
          <Button size="small" onClick={() => setReload((n) => n + 1)}>
            刷新
          </Button>
        }
      />
      {error && <Alert type="error" showIcon message={error} className="qf-block-alert" />}
      <Row gutter={16} className="qf-dash-cards">
        {CARDS.map((c) => (
          <Col span={6} key={c.light}>
            <Card
              size="small"
              hoverable
              data-testid={`dash-${c.light}`}
              className={`qf-dash-card qf-dash-card-${c.light}${only === c.light ? " qf-dash-card-active" : ""}`}
              onClick={() => setOnly((o) => (o === c.light ? null : c.light))}
            >
              <Statistic
                title={LIGHT_LABELS[c.light]}
                value={data ? data[c.light as "red" | "yellow" | "green"] : "—"}
                suffix={data ? "项" : undefined}
                valueStyle={{ color: c.color }}
              />
              <Typography.Text type="secondary" className="qf-dash-hint">
                {only === c.light ? "再次点击显示全部" : c.hint}
              </Typography.Text>
            </Card>
          </Col>
        ))}
        <Col span={6}>
          <Card size="small" className="qf-dash-card qf-dash-chart" data-testid="dash-chart">
            <div className="qf-dash-chart-text">
              <div className="qf-dash-chart-title">分布</div>
              <Typography.Text type="secondary" className="qf-dash-hint">
                {data && data.red + data.yellow + data.green === 0 ? "没有未完成的期限" : "红、黄、绿各占多少"}
              </Typography.Text>
            </div>
            {lights && data && data.red + data.yellow + data.green > 0 && (
              <div className="qf-dash-chart-ring">
                <EChart option={lights} height={84} label="未完成期限的分布" />
              </div>
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" className="qf-card" title={only ? `${LIGHT_LABELS[only]}的期限` : "全部未完成的期限"}>
        <Table<DashboardItem>
          size="middle"
          rowKey={(i) => i.deadline.id}
          columns={columns}
          dataSource={rows}
          loading={data === null && !error}
          tableLayout="fixed"
          pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false, size: "small" } : false}
          locale={{ emptyText: "没有未完成的期限" }}
          onRow={clickableRow<DashboardItem>("dash-row", (i) => {
            // Office-wide duties have no complaint page to open.
            if (i.complaint_id) nav.go({ page: "complaint", id: i.complaint_id });
          })}
        />
      </Card>
    </div>
  );
}
