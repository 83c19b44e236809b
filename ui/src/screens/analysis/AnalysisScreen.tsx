// 综合分析: the analysis report of a period (a month, quarter, year or chosen dates), on the whole
// office's complaints or on one key problem or one unit (专题分析): its main figures, a preview of
// the PDF's first page, and saving it as PDF or as an editable Word document.
import { FilePdfOutlined, FileWordOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, DatePicker, Empty, Image, Input, Row, Segmented, Select, Space, Spin, Statistic, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { AnalysisPreview, CatalogueView, ReportRequest } from "../../bindings";
import { PageHead, beijingToday, testOption } from "../complaints/common";

export type PeriodKind = "month" | "quarter" | "year" | "custom";
export type ScopeKind = "all" | "theme" | "unit";

/** The first and last day of the period containing `day`, in YYYY-MM-DD. */
export function periodOf(kind: Exclude<PeriodKind, "custom">, day: Dayjs): [string, string] {
  const fmt = (d: Dayjs) => d.format("YYYY-MM-DD");
  if (kind === "month") return [fmt(day.startOf("month")), fmt(day.endOf("month"))];
  if (kind === "year") return [fmt(day.startOf("year")), fmt(day.endOf("year"))];
  const first = day.month() - (day.month() % 3);
  const start = day.month(first).startOf("month");
  return [fmt(start), fmt(start.add(2, "month").endOf("month"))];
}

const PERIODS: Array<{ value: PeriodKind; label: string }> = [
  { value: "month", label: "月度" },
  { value: "quarter", label: "季度" },
  { value: "year", label: "年度" },
  { value: "custom", label: "自定义" },
];

const SCOPES: Array<{ value: ScopeKind; label: string }> = [
  { value: "all", label: "综合分析" },
  { value: "theme", label: "专题：问题类别" },
  { value: "unit", label: "专题：被反映单位" },
];

export function AnalysisScreen() {
  const api = useApi();
  const { message } = App.useApp();
  const [periodKind, setPeriodKind] = useState<PeriodKind>("quarter");
  const [day, setDay] = useState<Dayjs>(beijingToday());
  const [range, setRange] = useState<[Dayjs, Dayjs]>([beijingToday().startOf("month"), beijingToday()]);
  const [scope, setScope] = useState<ScopeKind>("all");
  const [theme, setTheme] = useState<string | null>(null);
  const [unit, setUnit] = useState("");
  const [catalogue, setCatalogue] = useState<CatalogueView | null>(null);
  const [preview, setPreview] = useState<AnalysisPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [saving, setSaving] = useState<"pdf" | "docx" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    api.catalogueCurrent().then(setCatalogue).catch((e) => setError(errorMessage(e)));
  }, [api]);

  const request = (): ReportRequest => {
    const [from, to] =
      periodKind === "custom" ? [range[0].format("YYYY-MM-DD"), range[1].format("YYYY-MM-DD")] : periodOf(periodKind, day);
    return {
      from,
      to,
      theme: scope === "theme" ? theme : null,
      unit: scope === "unit" ? unit.trim() || null : null,
    };
  };

  const generate = () => {
    if (scope === "theme" && !theme) {
      setError("请选择专题分析的问题类别。");
      return;
    }
    if (scope === "unit" && !unit.trim()) {
      setError("请填写专题分析的被反映单位。");
      return;
    }
    setBusy(true);
    setError(null);
    api
      .analysisPreview(request())
      .then(setPreview)
      .catch((e) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };

  const save = (format: "pdf" | "docx") => {
    setSaving(format);
    api
      .analysisSave(request(), format)
      .then((path) => {
        if (!path) return;
        const what = format === "pdf" ? "PDF 文件" : "Word 文档";
        setSaved(`已保存为${what}：${path}`);
        message.success(`已保存${what}`);
      })
      .catch((e) => setError(errorMessage(e)))
      .finally(() => setSaving(null));
  };

  const picker =
    periodKind === "custom" ? (
      <DatePicker.RangePicker
        value={range}
        allowClear={false}
        onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        data-testid="analysis-range"
      />
    ) : (
      <DatePicker
        picker={periodKind}
        value={day}
        allowClear={false}
        onChange={(v) => v && setDay(v)}
        data-testid="analysis-period"
      />
    );
  const r = preview?.report;

  return (
    <div data-testid="analysis-screen">
      <PageHead
        title="综合分析"
        sub={catalogue ? `按${catalogue.title}（第 ${catalogue.version} 版，${catalogue.builtin ? "程序内置" : "省级平台发布"}）归类` : undefined}
      />
      <Card size="small" className="qf-card" style={{ marginBottom: 12 }}>
        <Space wrap size="middle">
          <Segmented options={PERIODS} value={periodKind} onChange={(v) => setPeriodKind(v as PeriodKind)} data-testid="analysis-period-kind" />
          {picker}
          <Select style={{ width: 170 }} options={SCOPES} optionRender={testOption} value={scope} onChange={setScope} data-testid="analysis-scope" />
          {scope === "theme" && (
            <Select
              style={{ width: 240 }}
              showSearch
              placeholder="选择问题类别"
              value={theme}
              onChange={setTheme}
              optionRender={testOption}
              options={(catalogue?.categories ?? []).map((c) => ({ value: c.name, label: c.parent ? `　${c.name}` : c.name }))}
              data-testid="analysis-theme"
            />
          )}
          {scope === "unit" && (
            <Input style={{ width: 220 }} placeholder="被反映单位名称" value={unit} onChange={(e) => setUnit(e.target.value)} maxLength={100} data-testid="analysis-unit" />
          )}
          <Button type="primary" onClick={generate} loading={busy} data-testid="analysis-generate">生成报告</Button>
        </Space>
      </Card>
      {saved && <Alert type="success" showIcon message={saved} style={{ marginBottom: 12 }} data-testid="analysis-saved" />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="analysis-error" />}
      {busy && !preview && <Spin tip="正在统计并排版报告…"><div style={{ height: 120 }} /></Spin>}
      {!r && !busy && <Empty description="选择期间后点击“生成报告”" />}
      {r && preview && (
        <Row gutter={12}>
          <Col xs={24} xl={10}>
            <Card size="small" className="qf-card" title="报告要点" data-testid="analysis-figures"
              extra={
                <Space size="small">
                  <Button icon={<FilePdfOutlined />} loading={saving === "pdf"} onClick={() => save("pdf")} data-testid="analysis-save-pdf">保存 PDF</Button>
                  <Button icon={<FileWordOutlined />} loading={saving === "docx"} onClick={() => save("docx")} data-testid="analysis-save-docx">保存 Word</Button>
                </Space>
              }
            >
              {/* The title is long ("关于2026年第四季度检举控告情况的综合分析报告"): in the card's
                  header it would be cut beside the two save buttons at 1200×800, so it wraps here. */}
              <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="analysis-title">{r.title}</Typography.Title>
              <Row gutter={[12, 12]}>
                <Col span={8}><Statistic title="受理检举控告" value={r.total} suffix="件" /></Col>
                <Col span={8}><Statistic title="已办结" value={r.concluded} suffix="件" /></Col>
                <Col span={8}><Statistic title="超期" value={r.overdue} suffix="件" /></Col>
                <Col span={8}><Statistic title="处分决定" value={r.penalties} suffix="件" /></Col>
                <Col span={8}><Statistic title="整改清单" value={r.rectification_lists} suffix="份" /></Col>
                <Col span={8}><Statistic title="整改任务完成" value={`${r.rectification_items_done}/${r.rectification_items}`} /></Col>
              </Row>
              {r.sections.map((s) => (
                <div key={s.heading} style={{ marginTop: 12 }}>
                  <Typography.Text strong>{s.heading}</Typography.Text>
                  {s.paragraphs.map((p, i) => (
                    <Typography.Paragraph key={i} style={{ marginBottom: 4 }}>{p}</Typography.Paragraph>
                  ))}
                </div>
              ))}
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Card size="small" className="qf-card" title={`报告预览（第 1 页，共 ${preview.pages} 页）`}>
              <Image src={`data:image/png;base64,${preview.first_page}`} alt="报告第一页" style={{ width: "100%", border: "1px solid #ddd" }} data-testid="analysis-page" />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
