// 整改清单录入: a rectification list's title, source and date, its problems row by row, and
// optionally a scored template (the "two responsibilities" list) whose items the core generates.
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, Select, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { RectificationSource, RegisterRectification, TemplateInfo } from "../../bindings";
import { RECTIFICATION_SOURCE_OPTIONS } from "../../labels";
import { DATE_FORMAT, PageHead, beijingToday, isFuture, isoDate, testOption, textOrNull } from "../complaints/common";
import { MONEY } from "./common";
import { usePenaltyNav } from "./nav";

export type ItemValues = {
  title?: string;
  responsible_unit?: string;
  due_date?: Dayjs | null;
  measures?: string;
  max_score?: string;
};

export type RectificationValues = {
  title?: string;
  source?: RectificationSource;
  start_date?: Dayjs | null;
  sequential?: boolean;
  template?: string | null;
  template_unit?: string;
  template_due?: Dayjs | null;
  items?: ItemValues[];
};

export const MSG = {
  title: "请填写清单名称",
  source: "请选择问题来源",
  start: "请选择交办日期",
  items: "请至少录入一项问题，或选用一个模板",
  itemTitle: "请填写问题",
  itemUnit: "请填写责任单位",
  itemDue: "请选择完成期限",
  score: "满分为正数，最多两位小数，如 20 或 7.5",
  templateUnit: "选用模板时请填写模板事项的责任单位",
  templateDue: "选用模板时请选择模板事项的完成期限",
} as const;

/** The built-in scored template for the "two responsibilities" appraisal (migration 0006). */
export const TWO_RESPONSIBILITIES = "rectification.two_responsibilities";

const trim = (s: string | undefined | null) => (s ?? "").trim();

/** A row nothing was typed into: skipped, so an officer using a template need not delete it. */
function blank(row: ItemValues | undefined): boolean {
  return !row || (!trim(row.title) && !trim(row.responsible_unit) && !row.due_date && !trim(row.measures) && !trim(row.max_score));
}

/** The form the command needs, from what was typed. Scores stay text, as the core parses them. */
export function toRectification(v: RectificationValues): RegisterRectification {
  const template = textOrNull(v.template);
  return {
    title: trim(v.title),
    // The Select is required; the fallback only satisfies the type.
    source: v.source ?? "inspection_tour",
    start_date: isoDate(v.start_date ?? null),
    items: (v.items ?? [])
      .filter((row) => !blank(row))
      .map((row) => ({
        title: trim(row.title),
        responsible_unit: trim(row.responsible_unit),
        due_date: isoDate(row.due_date ?? null),
        measures: trim(row.measures),
        max_score: textOrNull(row.max_score),
      })),
    template,
    responsible_unit: template ? trim(v.template_unit) : null,
    due_date: template ? isoDate(v.template_due ?? null) : null,
    sequential: v.sequential ?? false,
    penalty_id: null,
  };
}

/** Rectification templates, newest version of each (the core generates from the newest too). */
export function rectificationTemplates(all: TemplateInfo[]): TemplateInfo[] {
  const seen = new Map<string, TemplateInfo>();
  for (const t of all) {
    if (t.scope !== "rectification") continue;
    const had = seen.get(t.id);
    if (!had || had.version < t.version) seen.set(t.id, t);
  }
  return [...seen.values()];
}

/** The items a template will generate, read from its document for the officer to check. A
 * document this screen cannot read shows no preview; the core still generates from it. */
export function templateItems(t: TemplateInfo | undefined): Array<{ title: string; max_score: string | null }> {
  if (!t) return [];
  try {
    const body = JSON.parse(t.body) as { items?: Array<{ title?: unknown; max_score?: unknown }> };
    return (body.items ?? []).map((i) => ({
      title: String(i.title ?? ""),
      max_score: typeof i.max_score === "string" ? i.max_score : null,
    }));
  } catch {
    return [];
  }
}

const scoreRule = {
  validator: async (_: unknown, value: string | undefined) => {
    if (trim(value) && !MONEY.test(trim(value))) throw new Error(MSG.score);
  },
};

export function RegisterRectificationScreen() {
  const api = useApi();
  const nav = usePenaltyNav();
  const [form] = Form.useForm<RectificationValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);
  const chosen = Form.useWatch("template", form);

  useEffect(() => {
    let live = true;
    api.checklistTemplates().then(
      (all) => live && setTemplates(rectificationTemplates(all)),
      // Without templates the list can still be entered item by item; say so, do not block.
      (e: unknown) => live && setTemplateError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  function onValuesChange(changed: Partial<RectificationValues>) {
    // The "two responsibilities" appraisal has its own scored list: offer it once the source is
    // chosen, unless the officer already picked a template (they can still clear it).
    if (changed.source === "two_responsibilities" && !form.getFieldValue("template") && templates?.some((t) => t.id === TWO_RESPONSIBILITIES)) {
      form.setFieldValue("template", TWO_RESPONSIBILITIES);
    }
  }

  async function save() {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const v = form.getFieldsValue(true) as RectificationValues;
    setBusy(true);
    setError(null);
    try {
      const detail = await api.rectificationRegister(toRectification(v));
      nav.go({ page: "rectification", id: detail.id, initial: detail });
    } catch (e) {
      // Everything typed stays in the form so the officer only corrects what the message names.
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const template = templates?.find((t) => t.id === chosen);
  const preview = templateItems(template);

  return (
    <div className="qf-page" data-testid="page-rectification-register">
      <PageHead title="新建整改清单" sub="逐项录入发现的问题，或选用模板生成考核事项；保存后各事项按完成期限亮灯" />
      <Form<RectificationValues>
        form={form}
        layout="vertical"
        initialValues={{ start_date: beijingToday(), sequential: false, template: null, items: [{}] }}
        onValuesChange={onValuesChange}
        className="qf-penalty-form"
      >
        <Card size="small" title="清单信息" className="qf-card">
          <div className="qf-filter-grid">
            <Form.Item name="title" label="清单名称" className="qf-rect-span-6" rules={[{ required: true, whitespace: true, message: MSG.title }]}>
              <Input data-testid="rr-title" maxLength={200} placeholder="如：2026年第一轮巡察反馈问题整改" />
            </Form.Item>
            <Form.Item name="source" label="问题来源" className="qf-span-3" rules={[{ required: true, message: MSG.source }]}>
              <Select data-testid="rr-source" placeholder="请选择" options={RECTIFICATION_SOURCE_OPTIONS} optionRender={testOption} />
            </Form.Item>
            <Form.Item name="start_date" label="交办日期" className="qf-span-3" rules={[{ required: true, message: MSG.start }]}>
              <DatePicker data-testid="rr-start-date" format={DATE_FORMAT} disabledDate={isFuture} className="qf-full" />
            </Form.Item>
            <Form.Item name="sequential" valuePropName="checked" className="qf-rect-span-12">
              <Checkbox data-testid="rr-sequential">依次办理（前一项审核通过后才开启下一项；不勾选则各项同时办理）</Checkbox>
            </Form.Item>
          </div>
        </Card>
        <Card size="small" title="模板（可选）" className="qf-card">
          {templateError && (
            <Alert type="warning" showIcon className="qf-form-alert" message={`未能读取清单模板：${templateError}`} description="仍可逐项录入问题。" />
          )}
          <div className="qf-filter-grid">
            <Form.Item name="template" label="选用模板" className="qf-span-4">
              <Select
                data-testid="rr-template"
                allowClear
                placeholder="不使用模板，逐项录入"
                loading={templates === null && !templateError}
                optionRender={testOption}
                options={(templates ?? []).map((t) => ({ value: t.id, label: t.name }))}
              />
            </Form.Item>
            {chosen && (
              <>
                <Form.Item
                  name="template_unit"
                  label="模板事项的责任单位"
                  className="qf-span-4"
                  rules={[{ required: true, whitespace: true, message: MSG.templateUnit }]}
                >
                  <Input data-testid="rr-template-unit" maxLength={100} placeholder="如：区住建局党组" />
                </Form.Item>
                <Form.Item name="template_due" label="模板事项的完成期限" className="qf-span-4" rules={[{ required: true, message: MSG.templateDue }]}>
                  <DatePicker data-testid="rr-template-due" format={DATE_FORMAT} className="qf-full" />
                </Form.Item>
              </>
            )}
          </div>
          {preview.length > 0 && (
            <ol className="qf-rect-preview" data-testid="rr-template-items">
              {preview.map((i, n) => (
                <li key={n}>
                  {i.title}
                  {i.max_score && <Typography.Text type="secondary">（满分 {i.max_score} 分）</Typography.Text>}
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card size="small" title="问题清单" className="qf-card">
          <Form.List
            name="items"
            rules={[
              {
                validator: async (_, rows: ItemValues[] | undefined) => {
                  const any = (rows ?? []).some((r) => !blank(r));
                  if (!any && !textOrNull(form.getFieldValue("template") as string | null)) throw new Error(MSG.items);
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                <div className="qf-rect-head">
                  <span>发现的问题</span>
                  <span>责任单位</span>
                  <span>完成期限</span>
                  <span>整改措施</span>
                  <span>满分（可选）</span>
                  <span />
                </div>
                {fields.map((field, i) => {
                  // A row's fields are required only once something was typed into it.
                  const needed = (message: string) => ({
                    validator: async (_: unknown, v: unknown) => {
                      const row = form.getFieldValue(["items", field.name]) as ItemValues | undefined;
                      if (!blank(row) && (v === null || v === undefined || (typeof v === "string" && !v.trim()))) throw new Error(message);
                    },
                  });
                  const row = ["title", "responsible_unit", "due_date", "measures", "max_score"].map((k) => ["items", field.name, k]);
                  return (
                    <div className="qf-rect-row" key={field.key} data-testid="rr-item-row">
                      <Form.Item name={[field.name, "title"]} dependencies={row} rules={[needed(MSG.itemTitle)]}>
                        <Input data-testid={`rr-item-title-${i}`} maxLength={500} />
                      </Form.Item>
                      <Form.Item name={[field.name, "responsible_unit"]} dependencies={row} rules={[needed(MSG.itemUnit)]}>
                        <Input data-testid={`rr-item-unit-${i}`} maxLength={100} />
                      </Form.Item>
                      <Form.Item name={[field.name, "due_date"]} dependencies={row} rules={[needed(MSG.itemDue)]}>
                        <DatePicker data-testid={`rr-item-due-${i}`} format={DATE_FORMAT} className="qf-full" />
                      </Form.Item>
                      <Form.Item name={[field.name, "measures"]}>
                        <Input data-testid={`rr-item-measures-${i}`} maxLength={2000} />
                      </Form.Item>
                      <Form.Item name={[field.name, "max_score"]} rules={[scoreRule]}>
                        <Input data-testid={`rr-item-score-${i}`} placeholder="不计分留空" />
                      </Form.Item>
                      <Button
                        type="text"
                        aria-label={`删除第 ${i + 1} 项`}
                        icon={<DeleteOutlined />}
                        data-testid={`rr-item-remove-${i}`}
                        onClick={() => remove(field.name)}
                      />
                    </div>
                  );
                })}
                <Button type="dashed" icon={<PlusOutlined />} data-testid="rr-item-add" onClick={() => add({})} className="qf-subject-add">
                  添加一项问题
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </Card>
        {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="rr-error" />}
        <Space className="qf-submit-row">
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="rr-save">
            保存整改清单
          </Button>
          <Button onClick={nav.back}>取消</Button>
          <Typography.Text type="secondary">没有填写任何内容的行不会保存。</Typography.Text>
        </Space>
      </Form>
    </div>
  );
}
