// 资料袋: search the laws and rules (highlighted matches, filters by document and status, pages),
// read a document with its chapters and the chosen article scrolled into view, and, for the
// administrator, import a text or Markdown file (a broken numbering is refused with its line).
import { Alert, App, Button, Card, Checkbox, Col, Empty, Form, Input, List, Pagination, Row, Select, Space, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { DocumentStatus, DocumentSummary, DocumentView, ImportForm, SearchResults } from "../../bindings";
import { PageHead, textOrNull } from "../complaints/common";
import { usePenaltyNav } from "../penalty/nav";
import { Highlighted, STATUS_COLORS, STATUS_LABELS } from "./Highlighted";
import "./library.css";
import { ProvinceCard } from "./ProvinceCard";

const PAGE_SIZE = 20;

/** The document with its headings placed before the first article under each. */
export function Reader({ doc, selected }: { doc: DocumentView; selected: number | null }) {
  const chosen = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    // jsdom has no scrolling; a real webview scrolls the chosen article into view.
    chosen.current?.scrollIntoView?.({ block: "center" });
  }, [doc, selected]);
  let shown = 0;
  const s = doc.summary;
  return (
    <div data-testid="library-reader">
      <Typography.Title level={4} data-testid="reader-title">
        {s.title}
        {s.excerpt ? "（节选）" : ""}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {s.issuer}
        {s.number ? ` ${s.number}` : ""} · 施行日期 {s.effective} · 版本 {s.version}{" "}
        <Tag color={STATUS_COLORS[s.status]}>{STATUS_LABELS[s.status]}</Tag>
      </Typography.Paragraph>
      <div className="qf-lib-reader">
        {doc.preamble && <p className="qf-lib-text">{doc.preamble}</p>}
        {doc.articles.map((a) => {
          const from = shown;
          const heads = doc.headings.filter((h) => h.ord > from && a.heading !== null && h.ord <= a.heading);
          if (heads.length) shown = heads[heads.length - 1]!.ord;
          const isChosen = a.number === selected;
          return (
            <div key={a.number}>
              {heads.map((h) => (
                <div key={h.ord} className="qf-lib-heading" data-testid="reader-heading">
                  {h.label} {h.title}
                </div>
              ))}
              <div
                ref={isChosen ? chosen : undefined}
                className={`qf-lib-article${isChosen ? " qf-lib-article-selected" : ""}`}
                data-testid="reader-article"
                data-number={a.number}
                data-selected={isChosen ? "true" : "false"}
              >
                <p className="qf-lib-text">
                  <span className="qf-lib-label">{a.label}</span>
                  {a.text}
                </p>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function ImportCard({ onImported }: { onImported: () => void }) {
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<ImportForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The platform's open dialog chooses the file; its path fills the (read-only) field.
  async function pick() {
    try {
      const path = await api.libraryPickFile();
      if (path) form.setFieldsValue({ path });
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function submit(v: ImportForm) {
    setBusy(true);
    setError(null);
    try {
      const out = await api.libraryImport({
        path: (v.path ?? "").trim(),
        title: textOrNull(v.title),
        issuer: textOrNull(v.issuer),
        number: textOrNull(v.number),
        effective: textOrNull(v.effective),
        version: textOrNull(v.version),
        excerpt: Boolean(v.excerpt),
      });
      message.success(
        out.unchanged
          ? `《${out.title}》（版本 ${out.version}）已在资料袋中，内容相同，未作改动。`
          : `已导入《${out.title}》（版本 ${out.version}）：${out.articles} 条。`,
      );
      onImported();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card size="small" title="导入文件（系统管理员）" className="qf-card" data-testid="library-import">
      <Typography.Paragraph type="secondary">
        选择 UTF-8 编码的 .txt 或 .md 文件。文件可在开头写“标题：…”“制定机关：…”“施行日期：2020-07-01”“版本：…”，也可在下面填写；条文以“第一条”开头，章节以“第一章”“第一节”开头。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="import-error" />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ excerpt: false }}>
        <Form.Item label="文件" required>
          <Space.Compact className="qf-full">
            <Form.Item name="path" noStyle rules={[{ required: true, message: "请点“选择文件…”选定要导入的文件" }]}>
              <Input data-testid="import-path" readOnly placeholder="尚未选择文件" />
            </Form.Item>
            <Button onClick={() => void pick()} data-testid="import-pick">
              选择文件…
            </Button>
          </Space.Compact>
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="title" label="标题（可不填）">
              <Input data-testid="import-title" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="issuer" label="制定机关（可不填）">
              <Input data-testid="import-issuer" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="number" label="文号">
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="effective" label="施行日期">
              <Input data-testid="import-effective" placeholder="2020-07-01" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="version" label="版本">
              <Input placeholder="默认为施行日期" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="excerpt" valuePropName="checked">
          <Checkbox>只含部分条文（节选）</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="import-submit">
          导入
        </Button>
      </Form>
    </Card>
  );
}

export function LibraryScreen() {
  const api = useApi();
  const { roles } = usePenaltyNav();
  const [docs, setDocs] = useState<DocumentSummary[]>([]);
  const [reloadDocs, setReloadDocs] = useState(0);
  const [text, setText] = useState("");
  const [document, setDocument] = useState<string | null>(null);
  const [status, setStatus] = useState<DocumentStatus | null>("in_force");
  const [page, setPage] = useState(1);
  const [results, setResults] = useState<SearchResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reader, setReader] = useState<{ doc: DocumentView; article: number | null } | null>(null);

  useEffect(() => {
    let live = true;
    api.libraryDocuments().then(
      (d) => live && setDocs(d),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reloadDocs]);

  async function search(p: number, q = text) {
    if (!q.trim()) {
      setError("请输入要查找的文字，例如“政务处分”或“警告”。");
      return;
    }
    setError(null);
    try {
      const r = await api.librarySearch({ text: q, document, status, limit: PAGE_SIZE, offset: (p - 1) * PAGE_SIZE });
      setResults(r);
      setPage(p);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function open(doc: string, version: string | null, article: number | null) {
    try {
      setReader({ doc: await api.libraryShow(doc, version), article });
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  // One entry per document (its versions share an id); the filter covers every version.
  const docOptions = docs
    .filter((d, i) => docs.findIndex((x) => x.id === d.id) === i)
    .map((d) => ({ value: d.id, label: d.title }));

  return (
    <div className="qf-page" data-testid="page-library">
      <PageHead title="资料袋" />
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="library-error" />}
      <Card size="small" className="qf-card">
        <Space wrap>
          <Input.Search
            data-testid="library-search"
            placeholder="输入条文中的文字，如“影响期”“警告”"
            enterButton="查找"
            allowClear
            style={{ width: 360 }}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => void search(1, v)}
          />
          <Select
            data-testid="library-document-filter"
            placeholder="全部文件"
            allowClear
            style={{ width: 280 }}
            value={document}
            options={docOptions}
            onChange={(v: string | undefined) => setDocument(v ?? null)}
          />
          <Select
            data-testid="library-status-filter"
            style={{ width: 140 }}
            value={status ?? "all"}
            options={[
              { value: "all", label: "全部状态" },
              { value: "in_force", label: "现行有效" },
              { value: "amended", label: "已修订" },
              { value: "repealed", label: "已废止" },
            ]}
            onChange={(v: string) => setStatus(v === "all" ? null : (v as DocumentStatus))}
          />
        </Space>
      </Card>
      <ProvinceCard admin={roles.includes("admin")} />
      <Row gutter={16}>
        <Col span={reader ? 12 : 24}>
          {results ? (
            <Card size="small" className="qf-card" title={`找到 ${results.total} 条`} data-testid="library-results">
              {results.hits.length === 0 ? (
                <Empty description="没有找到。可换一个说法，或放宽文件和状态的筛选。" />
              ) : (
                <List
                  dataSource={results.hits}
                  renderItem={(h) => (
                    <List.Item
                      data-testid="library-hit"
                      actions={[
                        <Button key="read" size="small" data-testid="hit-read" onClick={() => void open(h.document_id, h.version, h.article)}>
                          阅读全文
                        </Button>,
                      ]}
                    >
                      <div>
                        <Space>
                          <Typography.Text strong data-testid="hit-title">
                            《{h.document_title}》{h.article_label}
                          </Typography.Text>
                          <Tag color={STATUS_COLORS[h.status]}>{STATUS_LABELS[h.status]}</Tag>
                          {h.heading && <Typography.Text type="secondary">{h.heading}</Typography.Text>}
                        </Space>
                        <Highlighted segments={h.segments} />
                      </div>
                    </List.Item>
                  )}
                />
              )}
              {results.total > PAGE_SIZE && (
                <Pagination current={page} pageSize={PAGE_SIZE} total={results.total} showSizeChanger={false} onChange={(p) => void search(p)} />
              )}
            </Card>
          ) : (
            <Card size="small" className="qf-card" title="文件" data-testid="library-documents">
              <List
                dataSource={docs}
                locale={{ emptyText: "资料袋中还没有文件。" }}
                renderItem={(d) => (
                  <List.Item
                    data-testid="library-document"
                    actions={[
                      <Button key="read" size="small" onClick={() => void open(d.id, d.version, null)}>
                        阅读
                      </Button>,
                    ]}
                  >
                    <Space>
                      <span>
                        《{d.title}》{d.excerpt ? "（节选）" : ""}
                      </span>
                      <Typography.Text type="secondary">
                        {d.issuer} · 版本 {d.version} · {d.articles} 条
                      </Typography.Text>
                      <Tag color={STATUS_COLORS[d.status]}>{STATUS_LABELS[d.status]}</Tag>
                      {d.source === "hub" && (
                        <Tag color="blue" data-testid="library-province">
                          省级发布
                        </Tag>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          )}
        </Col>
        {reader && (
          <Col span={12}>
            <Card size="small" className="qf-card" extra={<Button size="small" onClick={() => setReader(null)}>关闭</Button>}>
              <Reader doc={reader.doc} selected={reader.article} />
            </Card>
          </Col>
        )}
      </Row>
      {roles.includes("admin") && <ImportCard onImported={() => setReloadDocs((n) => n + 1)} />}
    </div>
  );
}
