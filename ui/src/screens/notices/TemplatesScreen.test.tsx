// 文书模板 as a form: fields shown as 【中文名称】 and never as names or braces, a paragraph edited
// and a field inserted at the cursor reach the live preview as pieces, 保存 asks first naming the
// new version, a refusal is shown as the backend words it, and 导入 opens a file as a draft.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { TemplateEditor, TemplateForm, TemplateView } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { PREVIEW } from "../../test/notices";
import { renderWithApi } from "../../test/render";
import { TemplatesScreen } from "./TemplatesScreen";
import { piecesToText, textToPieces } from "./templatePieces";

const V1: TemplateView = {
  kind: "acceptance",
  kind_name: "受理告知书",
  version: 1,
  title: "受理告知书",
  sha256: "ab".repeat(32),
  builtin: true,
  active: true,
  saved_by: "",
  saved_at: "",
  source: 'kind = "acceptance"\nbody = """\n{{reporter_name}}\n"""',
};

const REPORTER = { name: "reporter_name", label: "检举控告人" };
const CONTACT = { name: "contact", label: "联系方式" };

const FORM: TemplateForm = {
  kind: "acceptance",
  kind_name: "受理告知书",
  version: 1,
  title: "受理告知书",
  addressee: [{ type: "field", ...REPORTER }, { type: "text", text: "：" }],
  signature: true,
  blocks: [
    { type: "paragraph", condition: null, pieces: [{ type: "text", text: "你反映的问题我委已收悉。" }] },
    {
      type: "paragraph",
      condition: CONTACT,
      pieces: [{ type: "text", text: "可通过" }, { type: "field", ...CONTACT }, { type: "text", text: "与我委联系。" }],
    },
  ],
  fields: [
    { ...REPORTER, field_type: "text", required: true, default: null },
    { ...CONTACT, field_type: "text", required: false, default: null },
  ],
};

const EDITOR: TemplateEditor = { form: FORM, next_version: 2 };

function show(canEdit: boolean, handlers: Record<string, (args?: Record<string, unknown>) => unknown> = {}) {
  const { invoke, api } = fakeInvoke({
    notice_templates: () => [V1],
    notice_template_form: () => EDITOR,
    notice_template_preview: () => PREVIEW,
    ...handlers,
  });
  renderWithApi(<TemplatesScreen canEdit={canEdit} />, api);
  return invoke;
}

/** The body's paragraph number `n` (from 1), as its text box. */
const paragraph = (n: number) => screen.getByTestId(`template-paragraph-${n}`) as HTMLTextAreaElement;

/** The `i`th (from 0) element with the test id. */
function nth(testId: string, i: number): HTMLElement {
  const el = screen.getAllByTestId(testId)[i];
  if (!el) throw new Error(`no ${testId} number ${i}`);
  return el;
}

describe("TemplatesScreen", () => {
  it("shows the template as a form in Chinese, with a preview of it", async () => {
    const invoke = show(true);
    expect(await screen.findByTestId("template-form")).toBeInTheDocument();
    expect(callsOf(invoke, "notice_template_form")).toEqual([{ kind: "acceptance", version: 1 }]);
    expect(screen.getByTestId("template-title")).toHaveValue("受理告知书");
    expect(screen.getByTestId("template-addressee")).toHaveValue("【检举控告人】：");
    expect(paragraph(2)).toHaveValue("可通过【联系方式】与我委联系。");
    expect(nth("template-condition", 1)).toHaveTextContent("仅在填写了【联系方式】时打印");
    expect(nth("template-condition", 0)).toHaveTextContent("总是打印");
    expect(screen.getAllByTestId("template-chip").map((c) => c.textContent)).toEqual(["【检举控告人】", "【联系方式】"]);
    expect(await screen.findByTestId("template-preview-page")).toHaveAttribute("src", "data:image/png;base64,iVBORw0KGgo=");
    expect(callsOf(invoke, "notice_template_preview")).toEqual([{ form: FORM }]);
    // No developer text: no braces, no internal names, no TOML.
    const page = screen.getByTestId("page-notice-templates");
    const values = [...page.querySelectorAll("input, textarea")].map((e) => (e as HTMLInputElement).value).join(" ");
    for (const text of [page.textContent ?? "", values]) {
      expect(text).not.toMatch(/\{\{|reporter_name|contact|kind =|acceptance/);
    }
  });

  it("sends an edited paragraph and an inserted field to the preview as pieces", async () => {
    const invoke = show(true);
    await screen.findByTestId("template-form");
    await waitFor(() => expect(callsOf(invoke, "notice_template_preview")).toHaveLength(1));
    const first = paragraph(1);
    fireEvent.change(first, { target: { value: "你反映的问题已收悉，" } });
    fireEvent.focus(first);
    first.setSelectionRange(first.value.length, first.value.length);
    fireEvent.click(nth("template-chip", 0));
    expect(paragraph(1)).toHaveValue("你反映的问题已收悉，【检举控告人】");
    await waitFor(() => expect(callsOf(invoke, "notice_template_preview")).toHaveLength(2));
    const sent = callsOf(invoke, "notice_template_preview")[1] as { form: TemplateForm };
    expect(sent.form.blocks[0]).toEqual({
      type: "paragraph",
      condition: null,
      pieces: [{ type: "text", text: "你反映的问题已收悉，" }, { type: "field", ...REPORTER }],
    });
  });

  it("asks before saving, naming the new version, then saves the form", async () => {
    const saved: TemplateView = { ...V1, version: 2, builtin: false, saved_by: "张管理", saved_at: "2026-11-20 10:00" };
    let stored = [V1];
    const invoke = show(true, {
      notice_template_save_form: () => {
        stored = [saved, { ...V1, active: false }];
        return saved;
      },
      notice_templates: () => stored,
    });
    await screen.findByTestId("template-form");
    expect(screen.getByTestId("template-save")).toBeDisabled();
    fireEvent.change(screen.getByTestId("template-title"), { target: { value: "受理告知书（新）" } });
    fireEvent.click(screen.getByTestId("template-save"));
    expect(await screen.findByTestId("template-save-ask")).toHaveTextContent("将保存为“受理告知书”第 2 版");
    expect(callsOf(invoke, "notice_template_save_form")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("template-save-confirm"));
    expect(await screen.findByTestId("template-saved")).toHaveTextContent("已保存“受理告知书”第 2 版");
    expect(callsOf(invoke, "notice_template_save_form")).toEqual([{ form: { ...FORM, title: "受理告知书（新）" } }]);
    expect(callsOf(invoke, "notice_template_form").slice(-1)[0]).toEqual({ kind: "acceptance", version: 2 });
  });

  it("keeps a deleted field named in the paragraphs and shows the refusal", async () => {
    const invoke = show(true, {
      notice_template_save_form: () =>
        reject("invalid", "正文第2段用到了【联系方式】，但字段表中已没有这一项：请在字段表中加回它，或从正文第2段删去它。"),
    });
    await screen.findByTestId("template-form");
    fireEvent.click(nth("template-field-delete", 1));
    expect(paragraph(2)).toHaveValue("可通过【联系方式】与我委联系。");
    expect(nth("template-condition", 1)).toHaveTextContent("（该字段已删除）");
    fireEvent.change(paragraph(2), { target: { value: "请通过【联系方式】联系。" } });
    fireEvent.click(screen.getByTestId("template-save"));
    fireEvent.click(await screen.findByTestId("template-save-confirm"));
    expect(await screen.findByTestId("template-error")).toHaveTextContent("正文第2段用到了【联系方式】");
    const sent = callsOf(invoke, "notice_template_save_form")[0] as { form: TemplateForm };
    expect(sent.form.fields).toHaveLength(1);
    expect(sent.form.blocks[1]).toMatchObject({
      pieces: [{ type: "text", text: "请通过" }, { type: "field", ...CONTACT }, { type: "text", text: "联系。" }],
    });
  });

  it("opens an imported template file as an unsaved draft", async () => {
    const imported: TemplateForm = { ...FORM, title: "受理告知书（导入）" };
    const invoke = show(true, { notice_template_import: () => imported, notice_template_export: () => "受理告知书-第1版.toml" });
    await screen.findByTestId("template-form");
    fireEvent.click(screen.getByTestId("template-export"));
    expect(await screen.findByTestId("template-saved")).toHaveTextContent("已导出为“受理告知书-第1版.toml”");
    expect(callsOf(invoke, "notice_template_export")).toEqual([{ kind: "acceptance", version: 1 }]);
    fireEvent.click(screen.getByTestId("template-import"));
    await waitFor(() => expect(screen.getByTestId("template-title")).toHaveValue("受理告知书（导入）"));
    expect(screen.getByTestId("template-saved")).toHaveTextContent("已导入“受理告知书”模板");
    expect(screen.getByTestId("template-save")).toBeEnabled();
  });

  it("asks before dropping unsaved changes", async () => {
    const imported: TemplateForm = { ...FORM, title: "受理告知书（导入）" };
    const invoke = show(true, { notice_template_import: () => imported });
    await screen.findByTestId("template-form");
    fireEvent.change(screen.getByTestId("template-title"), { target: { value: "改了一半" } });
    fireEvent.click(screen.getByTestId("template-import"));
    expect(await screen.findAllByText("放弃未保存的修改？")).not.toHaveLength(0);
    fireEvent.click(screen.getByText("继续编辑"));
    await waitFor(() => expect(screen.queryAllByText("放弃未保存的修改？")).toHaveLength(0));
    expect(callsOf(invoke, "notice_template_import")).toHaveLength(0);
    expect(screen.getByTestId("template-title")).toHaveValue("改了一半");
    fireEvent.click(screen.getByTestId("template-import"));
    fireEvent.click(await screen.findByTestId("template-leave-confirm"));
    await waitFor(() => expect(screen.getByTestId("template-title")).toHaveValue("受理告知书（导入）"));
  });

  it("lets an officer who is not the administrator only read", async () => {
    show(false);
    await screen.findByTestId("template-form");
    expect(screen.getByTestId("template-title")).toHaveAttribute("readonly");
    expect(paragraph(1)).toHaveAttribute("readonly");
    expect(screen.queryByTestId("template-save")).not.toBeInTheDocument();
    expect(screen.queryByTestId("template-import")).not.toBeInTheDocument();
    expect(within(screen.getByTestId("page-notice-templates")).getByText(/只有系统管理员可以修改/)).toBeInTheDocument();
  });
});

describe("template pieces", () => {
  const fields = FORM.fields;
  it("reads 【label】 of a field as that field and other brackets as words", () => {
    expect(textToPieces("致【检举控告人】【备注】", fields, [])).toEqual([
      { type: "text", text: "致" },
      { type: "field", ...REPORTER },
      { type: "text", text: "【备注】" },
    ]);
    const block = FORM.blocks[1];
    const pieces = block?.type === "paragraph" ? block.pieces : [];
    expect(textToPieces(piecesToText(pieces, fields), fields, pieces)).toEqual(pieces);
  });
});
