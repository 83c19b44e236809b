// 资料袋: the starter documents listed on opening, a search with highlighted matches and the
// filters sent to the core, the reader with the chosen article marked, and the administrator's
// import showing the core's Chinese refusal of a broken numbering.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { DocumentSummary, DocumentView, SearchResults } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { renderPenalty } from "../../test/penaltyNav";
import { LibraryScreen } from "./LibraryScreen";

const DOC: DocumentSummary = {
  id: "gongzhi-renyuan-zhengwu-chufen-fa",
  version: "2020",
  title: "中华人民共和国公职人员政务处分法",
  issuer: "全国人民代表大会常务委员会",
  number: null,
  effective: "2020-07-01",
  status: "in_force",
  source: "starter",
  excerpt: true,
  articles: 2,
  content_hash: "ab",
};

const RESULTS: SearchResults = {
  mode: "scan",
  total: 1,
  hits: [
    {
      document_id: DOC.id,
      version: "2020",
      document_title: DOC.title,
      status: "in_force",
      article: 8,
      article_label: "第八条",
      heading: "第二章 政务处分的种类和适用",
      text: "政务处分的期间为：\n（一）警告，六个月；",
      highlights: [{ start: 13, end: 15 }],
      segments: [
        { text: "政务处分的期间为：\n（一）", hit: false },
        { text: "警告", hit: true },
        { text: "，六个月；", hit: false },
      ],
      rank: 1,
    },
  ],
};

const VIEW: DocumentView = {
  summary: DOC,
  preamble: "",
  headings: [{ ord: 1, level: "chapter", number: 2, label: "第二章", title: "政务处分的种类和适用" }],
  articles: [
    { number: 7, label: "第七条", heading: 1, text: "政务处分的种类为：" },
    { number: 8, label: "第八条", heading: 1, text: "政务处分的期间为：" },
  ],
  versions: [DOC],
};

describe("LibraryScreen", () => {
  it("lists the documents, searches with filters and marks the matches", async () => {
    const { invoke, api } = fakeInvoke({
      library_documents: () => [DOC],
      library_search: () => RESULTS,
      library_show: () => VIEW,
    });
    renderPenalty(<LibraryScreen />, api, ["petitions"]);
    expect(await screen.findByTestId("library-document")).toHaveTextContent("中华人民共和国公职人员政务处分法");
    expect(screen.queryByTestId("library-import")).not.toBeInTheDocument();

    const box = screen.getByTestId("library-search");
    fireEvent.change(box, { target: { value: "警告" } });
    fireEvent.keyDown(box, { key: "Enter", code: "Enter", keyCode: 13 });
    const hit = await screen.findByTestId("library-hit");
    expect(within(hit).getByTestId("hit-title")).toHaveTextContent("《中华人民共和国公职人员政务处分法》第八条");
    expect(within(hit).getAllByTestId("hit-mark").map((m) => m.textContent)).toEqual(["警告"]);
    expect(callsOf(invoke, "library_search")).toEqual([
      { query: { text: "警告", document: null, status: "in_force", limit: 20, offset: 0 } },
    ]);

    fireEvent.click(within(hit).getByTestId("hit-read"));
    const reader = await screen.findByTestId("library-reader");
    expect(callsOf(invoke, "library_show")).toEqual([{ doc: DOC.id, version: "2020" }]);
    expect(within(reader).getAllByTestId("reader-heading").map((h) => h.textContent)).toEqual(["第二章 政务处分的种类和适用"]);
    const chosen = within(reader).getAllByTestId("reader-article").filter((a) => a.dataset.selected === "true");
    expect(chosen.map((a) => a.dataset.number)).toEqual(["8"]);
  });

  it("asks for words before searching", async () => {
    const { invoke, api } = fakeInvoke({ library_documents: () => [DOC] });
    renderPenalty(<LibraryScreen />, api, ["petitions"]);
    const box = await screen.findByTestId("library-search");
    fireEvent.keyDown(box, { key: "Enter", code: "Enter", keyCode: 13 });
    expect(await screen.findByTestId("library-error")).toHaveTextContent("请输入要查找的文字");
    expect(callsOf(invoke, "library_search")).toHaveLength(0);
  });

  it("lets the administrator import and shows a broken numbering's Chinese refusal", async () => {
    const { invoke, api } = fakeInvoke({
      library_documents: () => [DOC],
      library_import: () => reject("invalid", "第 7 行：“第四条”之前缺少第 3 条（编号跳号）。请补全缺漏的内容。"),
      library_pick_file: () => "/tmp/规则.txt",
    });
    renderPenalty(<LibraryScreen />, api, ["admin"]);
    const card = await screen.findByTestId("library-import");
    // Without a file chosen, the form says what to do.
    fireEvent.click(within(card).getByTestId("import-submit"));
    expect(await within(card).findByText("请点“选择文件…”选定要导入的文件")).toBeInTheDocument();
    fireEvent.click(within(card).getByTestId("import-pick"));
    await waitFor(() => expect(within(card).getByTestId("import-path")).toHaveValue("/tmp/规则.txt"));
    fireEvent.change(within(card).getByTestId("import-effective"), { target: { value: "2026-01-01" } });
    fireEvent.click(within(card).getByTestId("import-submit"));
    expect(await screen.findByTestId("import-error")).toHaveTextContent("第 7 行：“第四条”之前缺少第 3 条");
    await waitFor(() =>
      expect(callsOf(invoke, "library_import")).toEqual([
        {
          form: {
            path: "/tmp/规则.txt",
            title: null,
            issuer: null,
            number: null,
            effective: "2026-01-01",
            version: null,
            excerpt: false,
          },
        },
      ]),
    );
  });
});
