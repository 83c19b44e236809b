// Pieces shared by the complaint screens: tags, the complaint table, dates and select options.
import { Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import type { HTMLAttributes, KeyboardEvent, ReactNode } from "react";
import type { ComplaintStatus, ComplaintSummary, Light } from "../../bindings";
import { CHANNEL_LABELS, LIGHT_COLORS, LIGHT_LABELS, STATUS_COLORS, STATUS_LABELS, labelOf } from "../../labels";

export const DATE_FORMAT = "YYYY-MM-DD";

/** Beijing's wall-clock time now, whatever the machine's time zone: business dates are China
 * Standard Time (UTC+8) everywhere in the program, as 工作台's date is. */
export function beijingNow(): Dayjs {
  const now = new Date();
  return dayjs(now.getTime() + (8 * 60 + now.getTimezoneOffset()) * 60_000);
}

/** Today's date in Beijing, as date fields default to it. */
export function beijingToday(): Dayjs {
  return beijingNow().startOf("day");
}

export function todayIso(): string {
  return beijingNow().format(DATE_FORMAT);
}

export function isoDate(d: Dayjs | null | undefined): string {
  return d ? d.format(DATE_FORMAT) : "";
}

/** For DatePicker's `disabledDate`: acts and receipts cannot lie in the future. */
export function isFuture(d: Dayjs): boolean {
  return d.isAfter(beijingNow(), "day");
}

/** Trimmed text, or null when nothing is left. */
export function textOrNull(v: string | null | undefined): string | null {
  const t = (v ?? "").trim();
  return t ? t : null;
}

/**
 * Option rendering for antd Selects that end-to-end tests can click:
 * every option in the drop-down carries `data-testid="option-<value>"`.
 */
export function testOption(option: { value?: unknown; label?: ReactNode }): ReactNode {
  return <span data-testid={`option-${String(option.value)}`}>{option.label}</span>;
}

export function LightTag({ light }: { light: Light | null | undefined }) {
  if (!light) return null;
  return (
    <Tag color={LIGHT_COLORS[light]} data-light={light} className="qf-light">
      {LIGHT_LABELS[light]}
    </Tag>
  );
}

export function StatusTag({ status, label, testId }: { status: ComplaintStatus; label?: string; testId?: string }) {
  return (
    <Tag color={STATUS_COLORS[status] ?? "default"} data-testid={testId} data-status={status}>
      {(STATUS_LABELS as Record<string, string>)[status] ?? label ?? status}
    </Tag>
  );
}

export function channelLabel(channel: string): string {
  return labelOf(CHANNEL_LABELS, channel);
}

/** The earliest open deadline of a complaint, as a light and a date. */
export function NextDue({ summary }: { summary: ComplaintSummary }) {
  if (!summary.next_due) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span className="qf-nowrap">
      <LightTag light={summary.light} />
      {summary.next_due}
    </span>
  );
}

/** The usual columns of a complaint list; `get` finds the summary in a row. */
export function complaintColumns<T>(get: (row: T) => ComplaintSummary): TableColumnsType<T> {
  return [
    {
      key: "number",
      title: "编号",
      width: 152,
      render: (_: unknown, r: T) => <span className="qf-number">{get(r).number}</span>,
    },
    { key: "received", title: "收到日期", width: 104, render: (_: unknown, r: T) => get(r).received_date },
    {
      key: "summary",
      title: "摘要",
      ellipsis: { showTitle: true },
      render: (_: unknown, r: T) => get(r).summary,
    },
    {
      key: "subjects",
      title: "被反映人",
      width: 168,
      ellipsis: { showTitle: true },
      render: (_: unknown, r: T) => get(r).subjects.join("、"),
    },
    {
      key: "status",
      title: "状态",
      width: 124,
      render: (_: unknown, r: T) => <StatusTag status={get(r).status} label={get(r).status_label} />,
    },
  ];
}

export function nextDueColumn<T>(get: (row: T) => ComplaintSummary): TableColumnsType<T>[number] {
  return {
    key: "next_due",
    title: "最近期限",
    width: 168,
    render: (_: unknown, r: T) => <NextDue summary={get(r)} />,
  };
}

/** Table rows that open a complaint on click or Enter. */
export function clickableRow<T>(testId: string, open: (row: T) => void) {
  return (row: T) => ({
    "data-testid": testId,
    tabIndex: 0,
    className: "qf-click-row",
    onClick: () => open(row),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === "Enter") open(row);
    },
  });
}

export function ComplaintTable<T extends object>({
  rows,
  rowKey,
  columns,
  rowTestId,
  loading,
  empty,
  onOpen,
}: {
  rows: T[];
  rowKey: (row: T) => string;
  columns: TableColumnsType<T>;
  rowTestId: string;
  loading?: boolean;
  empty: string;
  onOpen: (row: T) => void;
}) {
  return (
    <Table<T>
      size="middle"
      rowKey={rowKey}
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false, size: "small" } : false}
      locale={{ emptyText: empty }}
      onRow={clickableRow(rowTestId, onOpen) as (row: T) => HTMLAttributes<HTMLElement>}
      tableLayout="fixed"
    />
  );
}

/** Title line of a page, with optional things on the right. */
export function PageHead({ title, sub, extra }: { title: ReactNode; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="qf-page-head">
      <div className="qf-page-head-title">
        <Typography.Title level={4}>{title}</Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && <div className="qf-page-head-extra">{extra}</div>}
    </div>
  );
}
