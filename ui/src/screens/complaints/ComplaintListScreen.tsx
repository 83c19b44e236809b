// 检举控告: search every complaint the user may see.
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Switch, Typography } from "antd";
import type { TableColumnsType } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useMemo, useRef, useState } from "react";
import { emptyFilter, errorMessage, useApi } from "../../api";
import type { ComplaintChannel, ComplaintFilter, ComplaintPage, ComplaintStatus, ComplaintSummary, Role } from "../../bindings";
import { CHANNEL_OPTIONS, DEPARTMENT_OPTIONS, STATUS_OPTIONS, roleLabel } from "../../labels";
import { ComplaintTable, DATE_FORMAT, PageHead, complaintColumns, isoDate, nextDueColumn, testOption, textOrNull } from "./common";
import { useNav } from "./nav";

export const SEARCH_HINT = "可搜索 1 个字及以上，如人名“王五”、事项“罚款”";
export type ListValues = {
  text?: string;
  unit?: string;
  channel?: ComplaintChannel | null;
  status?: ComplaintStatus | null;
  department?: Role | null;
  received?: [Dayjs | null, Dayjs | null] | null;
  overdue?: boolean;
};

/** The search with nothing set (every field named, so that setting it clears them all). */
const EMPTY_VALUES = {
  text: undefined,
  unit: undefined,
  channel: null,
  status: null,
  department: null,
  received: undefined,
  overdue: false,
} satisfies ListValues;

/** What the list keeps while the person looks at a complaint and comes back. */
export type ListState = { values: ListValues; page: ComplaintPage };

/** The filter the command needs: every field present, null or false when unset. */
export function toFilter(v: ListValues): ComplaintFilter {
  return {
    ...emptyFilter(),
    status: v.status ?? null,
    channel: v.channel ?? null,
    department: v.department ?? null,
    unit: textOrNull(v.unit),
    received_from: v.received?.[0] ? isoDate(v.received[0]) : null,
    received_to: v.received?.[1] ? isoDate(v.received[1]) : null,
    overdue_only: v.overdue === true,
    text: textOrNull(v.text),
    limit: null,
  };
}

const self = (c: ComplaintSummary) => c;

export function ComplaintListScreen({
  saved,
  onSave,
}: {
  saved: ListState | null;
  onSave: (s: ListState) => void;
}) {
  const api = useApi();
  const nav = useNav();
  const [form] = Form.useForm<ListValues>();
  const [page, setPage] = useState<ComplaintPage | null>(saved?.page ?? null);
  const rows = page?.rows ?? null;
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  async function search() {
    const values = form.getFieldsValue(true) as ListValues;
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const found = await api.complaintPage(toFilter(values));
      if (mine !== seq.current) return;
      setPage(found);
      onSave({ values, page: found });
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }

  // Show everything (or the search the person left) on arrival.
  useEffect(() => {
    void search();
  }, []);

  // Not `resetFields`: that returns to the initial values, which are the search the person came
  // back to. 重置 means an empty search.
  function reset() {
    form.setFieldsValue(EMPTY_VALUES);
    void search();
  }

  const columns = useMemo<TableColumnsType<ComplaintSummary>>(() => {
    const base = complaintColumns(self);
    return [
      ...base,
      {
        key: "department",
        title: "承办部门",
        width: 112,
        render: (_: unknown, c: ComplaintSummary) => (c.department ? roleLabel(c.department) : "—"),
      },
      nextDueColumn(self),
    ];
  }, []);

  const enter = () => void search();

  return (
    <div className="qf-page" data-testid="page-complaints">
      <PageHead title="检举控告" sub="查询本机关登记的检举控告" />
      <Card size="small" className="qf-card qf-filter-card">
        <Form<ListValues> form={form} layout="vertical" initialValues={saved?.values ?? { overdue: false }} className="qf-filter">
          <div className="qf-filter-grid">
            <Form.Item name="text" label="全文搜索" className="qf-span-5">
              <Input
                data-testid="list-text"
                placeholder={SEARCH_HINT}
                allowClear
                maxLength={200}
                onPressEnter={enter}
              />
            </Form.Item>
            <Form.Item name="unit" label="被反映单位" className="qf-span-3">
              <Input data-testid="list-unit" placeholder="单位名称的一部分" allowClear onPressEnter={enter} />
            </Form.Item>
            <Form.Item name="received" label="收到日期" className="qf-span-4">
              <DatePicker.RangePicker format={DATE_FORMAT} allowEmpty={[true, true]} className="qf-full" />
            </Form.Item>
            <Form.Item name="channel" label="渠道" className="qf-span-2">
              <Select
                data-testid="list-channel"
                allowClear
                placeholder="全部"
                options={CHANNEL_OPTIONS}
                optionRender={testOption}
              />
            </Form.Item>
            <Form.Item name="status" label="状态" className="qf-span-3">
              <Select
                data-testid="list-status"
                allowClear
                placeholder="全部"
                options={STATUS_OPTIONS}
                optionRender={testOption}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
            <Form.Item name="department" label="承办部门" className="qf-span-3">
              <Select
                data-testid="list-department"
                allowClear
                placeholder="全部"
                options={DEPARTMENT_OPTIONS}
                optionRender={testOption}
              />
            </Form.Item>
            <Form.Item name="overdue" label="只看逾期" valuePropName="checked" className="qf-span-2">
              <Switch data-testid="list-overdue" checkedChildren="逾期" unCheckedChildren="全部" />
            </Form.Item>
            <Form.Item label=" " className="qf-span-2 qf-filter-buttons">
              <Space>
                <Button type="primary" data-testid="list-submit" onClick={enter} loading={loading}>
                  查询
                </Button>
                <Button data-testid="list-reset" onClick={reset}>
                  重置
                </Button>
              </Space>
            </Form.Item>
          </div>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon message={error} className="qf-block-alert" data-testid="list-error" />}
      <Card
        size="small"
        className="qf-card"
        title={
          <span data-testid="list-count">
            {page ? `共 ${page.total} 件` : "查询结果"}
            {page && page.total > page.rows.length && (
              <Typography.Text type="secondary" className="qf-list-note" data-testid="list-partial">
                只显示最近收到的 {page.rows.length} 件，请缩小查询范围
              </Typography.Text>
            )}
          </span>
        }
      >
        <ComplaintTable<ComplaintSummary>
          rows={rows ?? []}
          rowKey={(c) => c.id}
          columns={columns}
          rowTestId="list-row"
          loading={loading && rows === null}
          empty="没有符合条件的检举控告"
          onOpen={(c) => nav.go({ page: "complaint", id: c.id })}
        />
      </Card>
    </div>
  );
}
