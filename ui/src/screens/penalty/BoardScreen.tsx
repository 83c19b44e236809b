// 处分执行台账 (and 整改清单): every decision or list of the office, its current item and light,
// with filters and counts of current items by light.
import { Alert, Button, Card, Form, Input, Select, Space, Table, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { Board, BoardFilter, BoardRow, ChecklistScope, Light } from "../../bindings";
import { CHECKLIST_STATUS_LABELS } from "../../labels";
import { PageHead, testOption, textOrNull } from "../complaints/common";
import { ItemLight, ItemStatusTag } from "./common";
import { usePenaltyNav } from "./nav";

type Values = { text?: string; unit?: string; status?: string | null; light?: Light | null };

const LIGHT_OPTIONS: Array<{ value: Light; label: string }> = [
  { value: "red", label: "红灯（已逾期）" },
  { value: "yellow", label: "黄灯（临近或 10 天未办理）" },
  { value: "green", label: "绿灯（正常）" },
];

export function BoardScreen({ scope }: { scope: ChecklistScope }) {
  const api = useApi();
  const nav = usePenaltyNav();
  const [form] = Form.useForm<Values>();
  const [board, setBoard] = useState<Board | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const penalty = scope === "penalty";

  async function search(over: Partial<Values> = {}) {
    const v = { ...(form.getFieldsValue(true) as Values), ...over };
    const filter: BoardFilter = {
      scope,
      status: v.status ?? null,
      light: v.light ?? null,
      unit: textOrNull(v.unit),
      text: textOrNull(v.text),
      limit: null,
    };
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const b = await api.penaltyBoard(filter);
      if (mine === seq.current) setBoard(b);
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }

  useEffect(() => {
    void search();
  }, []);

  function byLight(light: Light) {
    form.setFieldValue("light", light);
    void search({ light });
  }

  const open = (r: BoardRow) => nav.go(penalty ? { page: "penalty", id: r.id } : { page: "rectification", id: r.id });

  const columns: TableColumnsType<BoardRow> = [
    ...(penalty
      ? [
          { key: "number", title: "决定文号", width: 150, render: (_: unknown, r: BoardRow) => <span className="qf-number">{r.decision_number}</span> },
          {
            key: "person",
            title: "受处分人",
            width: 170,
            render: (_: unknown, r: BoardRow) => (
              <span>
                {r.person_name}
                <Typography.Text type="secondary">（{r.person_unit}）</Typography.Text>
              </span>
            ),
          },
          { key: "penalty", title: "处分", width: 120, render: (_: unknown, r: BoardRow) => r.penalty_label },
        ]
      : [
          { key: "title", title: "整改清单", render: (_: unknown, r: BoardRow) => r.title },
          { key: "start", title: "交办日期", width: 104, render: (_: unknown, r: BoardRow) => r.start_date },
        ]),
    {
      key: "current",
      title: "当前事项",
      width: 300,
      render: (_: unknown, r: BoardRow) =>
        r.current ? (
          <span>
            {r.current.ord}. {r.current.title} <ItemStatusTag status={r.current.status} />
          </span>
        ) : (
          <Typography.Text type="secondary">{CHECKLIST_STATUS_LABELS[r.status] ?? "已完成"}</Typography.Text>
        ),
    },
    { key: "unit", title: "责任单位", width: 130, render: (_: unknown, r: BoardRow) => r.current?.responsible_unit ?? "—" },
    { key: "due", title: "期限", width: 104, render: (_: unknown, r: BoardRow) => r.current?.due ?? "—" },
    { key: "light", title: "状态灯", width: 90, render: (_: unknown, r: BoardRow) => <ItemLight light={r.light} idle={r.current?.idle} /> },
    { key: "progress", title: "进度", width: 72, render: (_: unknown, r: BoardRow) => `${r.items_done}/${r.items_total}` },
  ];

  const counts = board?.counts;
  const title = penalty ? "处分执行台账" : "整改清单";
  return (
    <div className="qf-page" data-testid={penalty ? "page-penalty-board" : "page-rectifications"}>
      <PageHead
        title={title}
        sub={penalty ? "本机关作出的处分决定及其执行进度" : "巡察、审计、专项监督发现问题的整改进度"}
        extra={
          // The core says whether this viewer may enter one (the workflow's registration step).
          penalty && board?.may_register ? (
            <Button type="primary" data-testid="board-register" onClick={() => nav.go({ page: "penalty-register" })}>
              录入处分决定
            </Button>
          ) : !penalty && board?.may_register ? (
            <Button type="primary" data-testid="board-register" onClick={() => nav.go({ page: "rectification-register" })}>
              新建整改清单
            </Button>
          ) : undefined
        }
      />
      <div className="qf-dash-cards qf-board-cards">
        {(["red", "yellow", "green"] as const).map((l) => (
          <Card
            key={l}
            size="small"
            hoverable
            className={`qf-dash-card qf-dash-card-${l}${form.getFieldValue("light") === l ? " qf-dash-card-active" : ""}`}
            onClick={() => byLight(l)}
          >
            <Space direction="vertical" size={0}>
              <Typography.Text type="secondary">{l === "red" ? "红灯 已逾期" : l === "yellow" ? "黄灯 临近或久未办理" : "绿灯 正常"}</Typography.Text>
              <span className="qf-dash-count" data-testid={`board-${l}`}>
                {counts ? counts[l] : "—"}
              </span>
            </Space>
          </Card>
        ))}
      </div>
      <Card size="small" className="qf-card qf-filter-card">
        <Form<Values> form={form} layout="vertical" className="qf-filter">
          <div className="qf-filter-grid">
            <Form.Item name="text" label={penalty ? "姓名或文号" : "清单名称"} className="qf-span-3">
              <Input data-testid="board-text" allowClear onPressEnter={() => void search()} />
            </Form.Item>
            <Form.Item name="unit" label="责任单位" className="qf-span-3">
              <Input data-testid="board-unit" allowClear placeholder="单位名称的一部分" onPressEnter={() => void search()} />
            </Form.Item>
            <Form.Item name="status" label="执行状态" className="qf-span-3">
              <Select
                data-testid="board-status"
                allowClear
                placeholder="全部"
                optionRender={testOption}
                options={[
                  { value: "open", label: penalty ? "执行中" : "整改中" },
                  { value: "done", label: penalty ? "执行完毕" : "已完成" },
                ]}
              />
            </Form.Item>
            <Form.Item name="light" label="状态灯" className="qf-span-3">
              <Select data-testid="board-light" allowClear placeholder="全部" options={LIGHT_OPTIONS} optionRender={testOption} />
            </Form.Item>
          </div>
          <Space>
            <Button type="primary" loading={loading} onClick={() => void search()} data-testid="board-search">
              查询
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                void search();
              }}
            >
              重置
            </Button>
          </Space>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon className="qf-block-alert" message={error} data-testid="board-error" />}
      <Card size="small" className="qf-card">
        <Typography.Text type="secondary" data-testid="board-count">
          {board ? `共 ${board.rows.length} ${penalty ? "份处分决定" : "份清单"}` : "正在读取…"}
        </Typography.Text>
        <Table<BoardRow>
          size="small"
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={board?.rows ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: penalty ? "没有符合条件的处分决定" : "没有符合条件的整改清单" }}
          onRow={(r) => ({
            onClick: () => open(r),
            className: "qf-click-row",
            "data-testid": "board-row",
            tabIndex: 0,
            onKeyDown: (e) => e.key === "Enter" && open(r),
          })}
        />
      </Card>
    </div>
  );
}
