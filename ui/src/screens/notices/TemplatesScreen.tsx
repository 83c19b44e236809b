// 文书模板: a notice template edited as a form — title, 主送 line, each body paragraph in its own
// box with fields shown as 【中文名称】, conditional paragraphs as “仅在填写了【…】时打印”, the
// fields list and the signature — beside a live preview of the unsaved draft rendered with
// sample values. 保存 makes a new version after a confirmation naming its number; the template
// text is only ever handled as a file, through 导出/导入.
import { Alert, App, Button, Card, Checkbox, Col, Empty, Input, Modal, Row, Select, Space, Spin, Switch, Tag, Typography } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { FieldType, FormBlock, FormField, FieldRef, NoticePreview, Piece, TemplateForm, TemplateView } from "../../bindings";
import { PageHead, testOption } from "../complaints/common";
import { ProvinceCard } from "../library/ProvinceCard";
import { labelOf, newFieldName, piecesToText, textToPieces } from "./templatePieces";

const FIELD_TYPES: { value: FieldType; label: string }[] = [
  { value: "text", label: "单行文字" },
  { value: "multiline", label: "多行文字" },
  { value: "date", label: "日期" },
  { value: "office", label: "单位名称" },
  { value: "doc_number", label: "文号" },
];

const BLOCK_NAMES: Record<FormBlock["type"], string> = {
  paragraph: "段落",
  heading: "一级标题",
  subheading: "二级标题",
  table: "表格",
  blank: "空行",
};

type TextBlock = Extract<FormBlock, { type: "paragraph" | "heading" | "subheading" }>;

/** The text box the officer last clicked into, so a field chip is inserted where the cursor is. */
type Target = { el: HTMLInputElement | HTMLTextAreaElement; put: (text: string) => void };

export function TemplatesScreen({ canEdit }: { canEdit: boolean }) {
  const api = useApi();
  const { modal } = App.useApp();
  const [list, setList] = useState<TemplateView[] | null>(null);
  const [kind, setKind] = useState<string | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [form, setForm] = useState<TemplateForm | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [preview, setPreview] = useState<NoticePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState(false);
  const target = useRef<Target | null>(null);
  const previewRun = useRef(0);

  const load = useCallback(
    () =>
      api.noticeTemplates().then(
        (l) => {
          setList(l);
          return l;
        },
        (e: unknown) => {
          setError(errorMessage(e));
          return [] as TemplateView[];
        },
      ),
    [api],
  );

  const open = useCallback(
    async (k: string, v: number) => {
      setKind(k);
      setVersion(v);
      setError(null);
      setNotice(null);
      try {
        const editor = await api.noticeTemplateForm(k, v);
        setForm(editor.form);
        setDirty(false);
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [api],
  );

  useEffect(() => {
    void load().then((l) => {
      const first = l.find((t) => t.active);
      if (first) void open(first.kind, first.version);
    });
  }, [load, open]);

  // The preview follows the draft: redrawn a moment after the last change, older answers ignored.
  useEffect(() => {
    if (!form) return;
    const run = ++previewRun.current;
    const timer = setTimeout(() => {
      setPreviewing(true);
      api.noticeTemplatePreview(form).then(
        (p) => {
          if (run !== previewRun.current) return;
          setPreview(p);
          setPreviewError(null);
          setPreviewing(false);
        },
        (e: unknown) => {
          if (run !== previewRun.current) return;
          setPreviewError(errorMessage(e));
          setPreviewing(false);
        },
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [api, form]);

  const kinds = list ? [...new Map(list.map((t) => [t.kind, t.kind_name])).entries()] : [];
  const versions = list?.filter((t) => t.kind === kind) ?? [];
  const nextVersion = Math.max(0, ...(list ?? []).filter((t) => t.kind === form?.kind).map((t) => t.version)) + 1;
  const shown = versions.find((t) => t.version === version);

  /** Runs `action` (opening another version, importing a file) once unsaved changes may be dropped. */
  function leave(action: () => void) {
    if (!dirty) {
      action();
      return;
    }
    modal.confirm({
      title: "放弃未保存的修改？",
      content: "当前模板有未保存的修改，换成别的模板后这些修改将丢失。",
      okText: "放弃修改",
      cancelText: "继续编辑",
      okButtonProps: { "data-testid": "template-leave-confirm" } as Record<string, string>,
      onOk: action,
    });
  }

  function edit(change: (f: TemplateForm) => TemplateForm) {
    setForm((f) => (f ? change(f) : f));
    setDirty(true);
    setNotice(null);
  }
  const setBlock = (i: number, b: FormBlock) => edit((f) => ({ ...f, blocks: f.blocks.map((x, j) => (j === i ? b : x)) }));
  const setField = (i: number, field: FormField) =>
    edit((f) => ({ ...f, fields: f.fields.map((x, j) => (j === i ? field : x)) }));
  const moveBlock = (i: number, by: number) =>
    edit((f) => {
      const blocks = [...f.blocks];
      const moved = blocks.splice(i, 1);
      blocks.splice(i + by, 0, ...moved);
      return { ...f, blocks };
    });

  function insertField(field: FormField) {
    const t = target.current;
    if (!t) {
      setNotice("请先点一下要插入字段的文字框，再点字段名称。");
      return;
    }
    const at = t.el.selectionStart ?? t.el.value.length;
    const end = t.el.selectionEnd ?? at;
    t.put(`${t.el.value.slice(0, at)}【${field.label}】${t.el.value.slice(end)}`);
  }

  // The outcome of 保存 is shown at the top of the page, which the officer has scrolled away from.
  const showTop = () => document.querySelector('[data-testid="page-notice-templates"]')?.scrollIntoView?.({ block: "start" });

  async function save() {
    if (!form) return;
    setSaving(true);
    setError(null);
    try {
      const saved = await api.noticeTemplateSaveForm(form);
      setConfirming(false);
      await load();
      await open(saved.kind, saved.version);
      setNotice(`已保存“${saved.kind_name}”第 ${saved.version} 版，新签发的文书将使用此版本。`);
    } catch (e) {
      setConfirming(false);
      setError(errorMessage(e));
    } finally {
      showTop();
      setSaving(false);
    }
  }

  async function exportFile() {
    if (!kind || version === null) return;
    try {
      const name = await api.noticeTemplateExport(kind, version);
      if (name) setNotice(`已导出为“${name}”。`);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function importFile() {
    try {
      const imported = await api.noticeTemplateImport();
      if (!imported) return;
      setKind(imported.kind);
      setVersion(null);
      setForm(imported);
      setDirty(true);
      setError(null);
      setNotice(`已导入“${imported.kind_name}”模板，检查无误后请点“保存”。`);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const fields = form?.fields ?? [];
  const box = (pieces: Piece[], put: (p: Piece[]) => void, testid: string, multiline = false, placeholder?: string) => (
    <PieceBox
      pieces={pieces}
      fields={fields}
      disabled={!canEdit}
      multiline={multiline}
      testid={testid}
      placeholder={placeholder}
      onChange={put}
      onFocus={(t) => (target.current = t)}
    />
  );
  const condition = (c: FieldRef | null, put: (c: FieldRef | null) => void) => (
    <ConditionSelect value={c} fields={fields} disabled={!canEdit} onChange={put} />
  );

  return (
    <div className="qf-page" data-testid="page-notice-templates">
      <PageHead title="文书模板" />
      {/* The province's versions beside the office's own: adopting one saves it as the office's next
          version, which the editor then shows (unless a draft is being edited). */}
      <ProvinceCard kinds={["notice_template"]} admin={canEdit} onAdopted={(k, v) => void load().then(() => (dirty ? undefined : open(k, v)))} />
      <Space wrap className="qf-block-alert">
        <Select
          data-testid="template-kind"
          style={{ width: 240 }}
          placeholder="选择文书"
          value={kind ?? undefined}
          loading={list === null}
          options={kinds.map(([k, name]) => ({ value: k, label: name }))}
          optionRender={testOption}
          onChange={(k: string) => {
            const v = list?.find((t) => t.kind === k && t.active) ?? list?.find((t) => t.kind === k);
            if (v) leave(() => void open(k, v.version));
          }}
        />
        <Select
          data-testid="template-version"
          style={{ width: 250 }}
          placeholder={version === null && form ? "导入的模板（未保存）" : "选择版本"}
          value={version ?? undefined}
          options={versions.map((t) => ({
            value: t.version,
            label: `第${t.version}版${t.active ? "（使用中）" : ""}${t.builtin ? "（内置）" : ""}`,
          }))}
          optionRender={testOption}
          onChange={(v: number) => kind && leave(() => void open(kind, v))}
        />
        {shown && (
          <Typography.Text type="secondary" data-testid="template-meta">
            {shown.builtin ? "随程序提供" : `${shown.saved_by} 保存于 ${shown.saved_at}`}
          </Typography.Text>
        )}
        {canEdit && (
          <>
            <Button data-testid="template-export" disabled={version === null} onClick={() => void exportFile()}>
              导出…
            </Button>
            <Button data-testid="template-import" onClick={() => leave(() => void importFile())}>
              导入…
            </Button>
          </>
        )}
      </Space>
      {error && <Alert type="error" showIcon className="qf-block-alert" data-testid="template-error" message={error} />}
      {notice && <Alert type="success" showIcon className="qf-block-alert" data-testid="template-saved" message={notice} />}
      {!canEdit && (
        <Alert type="info" showIcon className="qf-block-alert" message="只有系统管理员可以修改文书模板，这里仅供查看。" />
      )}
      {form ? (
        <Row gutter={16}>
          <Col span={14}>
            <Card size="small" className="qf-card" title={`${form.kind_name}的内容`} data-testid="template-form">
              <div className="qf-tpl-line">
                <span className="qf-tpl-label">标题</span>
                <Input
                  data-testid="template-title"
                  value={form.title}
                  readOnly={!canEdit}
                  onChange={(e) => edit((f) => ({ ...f, title: e.target.value }))}
                />
              </div>
              <div className="qf-tpl-line">
                <span className="qf-tpl-label">主送</span>
                {box(form.addressee, (p) => edit((f) => ({ ...f, addressee: p })), "template-addressee", false, "不写则不印主送行")}
              </div>
              {canEdit && (
                <div className="qf-tpl-chips" data-testid="template-chips">
                  <Typography.Text type="secondary">插入字段（先点文字框中的位置）：</Typography.Text>
                  {fields.map((f) => (
                    <Tag
                      key={f.name}
                      color="blue"
                      className="qf-tpl-chip"
                      data-testid="template-chip"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => insertField(f)}
                    >
                      【{f.label}】
                    </Tag>
                  ))}
                </div>
              )}
              <Typography.Title level={5}>正文</Typography.Title>
              {form.blocks.map((b, i) => (
                <div key={i} className="qf-tpl-block" data-testid="template-block">
                  <Space wrap size={4} className="qf-tpl-block-head">
                    <Typography.Text strong>第{i + 1}段</Typography.Text>
                    {b.type === "paragraph" || b.type === "heading" || b.type === "subheading" ? (
                      <>
                        <Select
                          size="small"
                          style={{ width: 100 }}
                          disabled={!canEdit}
                          value={b.type}
                          options={(["paragraph", "heading", "subheading"] as const).map((t) => ({ value: t, label: BLOCK_NAMES[t] }))}
                          onChange={(t: TextBlock["type"]) => setBlock(i, { ...b, type: t })}
                        />
                        {condition(b.condition, (c) => setBlock(i, { ...b, condition: c }))}
                      </>
                    ) : (
                      <Tag>{BLOCK_NAMES[b.type]}</Tag>
                    )}
                    {canEdit && (
                      <>
                        <Button size="small" disabled={i === 0} onClick={() => moveBlock(i, -1)}>
                          上移
                        </Button>
                        <Button size="small" disabled={i === form.blocks.length - 1} onClick={() => moveBlock(i, 1)}>
                          下移
                        </Button>
                        <Button
                          size="small"
                          danger
                          data-testid="template-block-delete"
                          onClick={() => edit((f) => ({ ...f, blocks: f.blocks.filter((_, j) => j !== i) }))}
                        >
                          删除
                        </Button>
                      </>
                    )}
                  </Space>
                  {(b.type === "paragraph" || b.type === "heading" || b.type === "subheading") &&
                    box(b.pieces, (p) => setBlock(i, { ...b, pieces: p }), `template-paragraph-${i + 1}`, b.type === "paragraph")}
                  {b.type === "blank" && <Typography.Text type="secondary">（文书中留一空行）</Typography.Text>}
                  {b.type === "table" &&
                    b.rows.map((row, r) => (
                      <div key={r} className="qf-tpl-row">
                        {row.cells.map((cell, c) => (
                          <div key={c} className="qf-tpl-cell">
                            {box(
                              cell,
                              (p) =>
                                setBlock(i, {
                                  ...b,
                                  rows: b.rows.map((x, k) =>
                                    k === r ? { ...x, cells: x.cells.map((y, m) => (m === c ? p : y)) } : x,
                                  ),
                                }),
                              "template-cell",
                            )}
                          </div>
                        ))}
                        {condition(row.condition, (cnd) =>
                          setBlock(i, { ...b, rows: b.rows.map((x, k) => (k === r ? { ...x, condition: cnd } : x)) }),
                        )}
                      </div>
                    ))}
                </div>
              ))}
              {canEdit && (
                <Space className="qf-block-alert">
                  <Button
                    data-testid="template-add-paragraph"
                    onClick={() =>
                      edit((f) => ({ ...f, blocks: [...f.blocks, { type: "paragraph", condition: null, pieces: [] }] }))
                    }
                  >
                    添加段落
                  </Button>
                  <Button onClick={() => edit((f) => ({ ...f, blocks: [...f.blocks, { type: "blank" }] }))}>添加空行</Button>
                </Space>
              )}
              <Typography.Title level={5}>需要填写的字段</Typography.Title>
              {form.fields.map((f, i) => (
                <div key={f.name} className="qf-tpl-field" data-testid="template-field">
                  <Input
                    className="qf-tpl-field-text"
                    data-testid="template-field-label"
                    placeholder="字段名称"
                    value={f.label}
                    readOnly={!canEdit}
                    onChange={(e) => setField(i, { ...f, label: e.target.value })}
                  />
                  <Select
                    style={{ width: 110 }}
                    value={f.field_type}
                    disabled={!canEdit}
                    options={FIELD_TYPES}
                    onChange={(t: FieldType) => setField(i, { ...f, field_type: t, default: t === "date" ? null : f.default })}
                  />
                  <Checkbox
                    checked={f.required}
                    disabled={!canEdit}
                    onChange={(e) => setField(i, { ...f, required: e.target.checked })}
                  >
                    必填
                  </Checkbox>
                  <Input
                    className="qf-tpl-field-text"
                    placeholder={f.field_type === "date" ? "日期无默认值" : "默认文字（可不填）"}
                    value={f.default ?? ""}
                    readOnly={!canEdit}
                    disabled={f.field_type === "date"}
                    onChange={(e) => setField(i, { ...f, default: e.target.value || null })}
                  />
                  {canEdit && (
                    <Button
                      danger
                      data-testid="template-field-delete"
                      onClick={() => edit((x) => ({ ...x, fields: x.fields.filter((_, j) => j !== i) }))}
                    >
                      删除
                    </Button>
                  )}
                </div>
              ))}
              {canEdit && (
                <Button
                  data-testid="template-add-field"
                  onClick={() =>
                    edit((x) => ({
                      ...x,
                      fields: [
                        ...x.fields,
                        { name: newFieldName(x.fields), label: "", field_type: "text", required: false, default: null },
                      ],
                    }))
                  }
                >
                  添加字段
                </Button>
              )}
              <div className="qf-tpl-line qf-tpl-signature">
                <Switch
                  data-testid="template-signature"
                  checked={form.signature}
                  disabled={!canEdit}
                  onChange={(on) => edit((f) => ({ ...f, signature: on }))}
                />
                <span>在正文后印发文机关、日期和盖章位置</span>
              </div>
              {canEdit && (
                <Space>
                  <Button type="primary" data-testid="template-save" disabled={!dirty} onClick={() => setConfirming(true)}>
                    保存为第 {nextVersion} 版…
                  </Button>
                  {dirty && <Typography.Text type="secondary">有未保存的修改</Typography.Text>}
                </Space>
              )}
            </Card>
          </Col>
          <Col span={10}>
            <Card
              size="small"
              className="qf-card qf-tpl-preview"
              title="预览（示例内容）"
              extra={previewing ? <Spin size="small" /> : null}
              data-testid="template-preview"
            >
              {previewError && (
                <Alert type="warning" showIcon className="qf-block-alert" data-testid="template-preview-error" message={previewError} />
              )}
              {preview ? (
                preview.pages.map((p, i) => (
                  <img
                    key={i}
                    alt={`第${i + 1}页`}
                    data-testid="template-preview-page"
                    src={`data:image/png;base64,${p}`}
                    style={{ width: "100%", border: "1px solid #ddd", marginBottom: 8 }}
                  />
                ))
              ) : (
                <Spin />
              )}
            </Card>
          </Col>
        </Row>
      ) : (
        <Card size="small" className="qf-card">
          {list === null || error ? <Spin /> : <Empty description="请选择一种文书" />}
        </Card>
      )}
      <Modal
        open={confirming}
        title="保存文书模板"
        okText="保存"
        cancelText="再看看"
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setConfirming(false)}
        okButtonProps={{ "data-testid": "template-save-confirm" } as Record<string, string>}
        width={440}
        destroyOnHidden
      >
        <Typography.Paragraph data-testid="template-save-ask">
          将保存为“{form?.kind_name}”第 {nextVersion} 版，此后新签发的{form?.kind_name}都使用这一版。
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">已签发的文书不受影响；旧版本仍保留，可随时查看。</Typography.Paragraph>
      </Modal>
    </div>
  );
}

/** A text box for a line of pieces: fields shown as 【label】. */
function PieceBox(props: {
  pieces: Piece[];
  fields: FormField[];
  disabled: boolean;
  multiline: boolean;
  testid: string;
  placeholder?: string;
  onChange: (p: Piece[]) => void;
  onFocus: (t: Target) => void;
}) {
  const { pieces, fields, onChange } = props;
  const put = (text: string) => onChange(textToPieces(text, fields, pieces));
  const common = {
    "data-testid": props.testid,
    value: piecesToText(pieces, fields),
    // Read-only rather than disabled, so an officer who may only read sees the words in full colour.
    readOnly: props.disabled,
    placeholder: props.placeholder,
  };
  return props.multiline ? (
    <Input.TextArea
      {...common}
      autoSize={{ minRows: 2, maxRows: 8 }}
      onChange={(e) => put(e.target.value)}
      onFocus={(e) => props.onFocus({ el: e.target, put })}
    />
  ) : (
    <Input {...common} onChange={(e) => put(e.target.value)} onFocus={(e) => props.onFocus({ el: e.target, put })} />
  );
}

/** “总是打印” or “仅在填写了【…】时打印”, over the current fields (and a deleted one still named). */
function ConditionSelect(props: {
  value: FieldRef | null;
  fields: FormField[];
  disabled: boolean;
  onChange: (c: FieldRef | null) => void;
}) {
  const { value, fields } = props;
  const options = [
    { value: "", label: "总是打印" },
    ...fields.map((f) => ({ value: f.name, label: `仅在填写了【${f.label}】时打印` })),
  ];
  if (value && !fields.some((f) => f.name === value.name)) {
    options.push({ value: value.name, label: `仅在填写了【${labelOf(value, fields)}】时打印（该字段已删除）` });
  }
  return (
    <Select
      size="small"
      style={{ minWidth: 190 }}
      data-testid="template-condition"
      disabled={props.disabled}
      value={value?.name ?? ""}
      options={options}
      popupMatchSelectWidth={false}
      onChange={(name: string) => {
        const f = fields.find((x) => x.name === name);
        props.onChange(f ? { name: f.name, label: f.label } : name && value ? value : null);
      }}
    />
  );
}
