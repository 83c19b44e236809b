// 引用条款: a record's citations listed, the modal searching articles in force and citing one with
// a note, a refusal shown in the modal, and withdrawal.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { CitationView, SearchResults } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { renderPenalty } from "../../test/penaltyNav";
import { CitationsCard } from "./Citations";

const CITED: CitationView = {
  id: "c-1",
  record: "penalty:p-1",
  item: 2,
  document_id: "dang-jilv-chufen-tiaoli",
  version: "2023年修订",
  article: 8,
  document_title: "中国共产党纪律处分条例",
  article_label: "第八条",
  note: "处分种类",
  text: "对党员的纪律处分种类：",
  added_by: "王五",
  added_at: "2026-11-20 09:00",
};

const FOUND: SearchResults = {
  mode: "scan",
  total: 1,
  hits: [
    {
      document_id: "dang-jilv-chufen-tiaoli",
      version: "2023年修订",
      document_title: "中国共产党纪律处分条例",
      status: "in_force",
      article: 8,
      article_label: "第八条",
      heading: null,
      text: "对党员的纪律处分种类：",
      highlights: [{ start: 4, end: 8 }],
      segments: [
        { text: "对党员的", hit: false },
        { text: "纪律处分", hit: true },
        { text: "种类：", hit: false },
      ],
      rank: 1,
    },
  ],
};

describe("CitationsCard", () => {
  it("cites an article of an execution item through the modal and lists it", async () => {
    const OTHER: CitationView = { ...CITED, id: "c-0", item: 1, article_label: "第七条" };
    let refuse = true;
    const { invoke, api } = fakeInvoke({
      library_citations: () => [OTHER],
      library_search: () => FOUND,
      // The record's list after citing holds the other item's citation too: the single row found
      // below shows the card lists this item's only.
      library_cite: () => (refuse ? reject("invalid", "已引用过《中国共产党纪律处分条例》第八条，无需重复引用。") : [OTHER, CITED]),
    });
    renderPenalty(<CitationsCard record="penalty:p-1" item={2} />, api, ["case_management"]);
    await waitFor(() => expect(callsOf(invoke, "library_citations")).toEqual([{ record: "penalty:p-1" }]));
    // Another item's citation is not this item's.
    expect(screen.queryByTestId("citation")).not.toBeInTheDocument();

    fireEvent.click(screen.getByTestId("cite-open"));
    const modal = await screen.findByTestId("cite-modal");
    const box = within(modal).getByTestId("cite-search");
    fireEvent.change(box, { target: { value: "纪律处分" } });
    fireEvent.keyDown(box, { key: "Enter", code: "Enter", keyCode: 13 });
    const hit = await within(modal).findByTestId("cite-hit");
    expect(within(hit).getAllByTestId("hit-mark").map((m) => m.textContent)).toEqual(["纪律处分"]);
    expect(callsOf(invoke, "library_search")[0]).toMatchObject({ query: { text: "纪律处分", status: "in_force" } });
    fireEvent.change(within(modal).getByTestId("cite-note"), { target: { value: "处分种类" } });

    fireEvent.click(within(hit).getByTestId("cite-choose"));
    expect(await within(modal).findByTestId("cite-error")).toHaveTextContent("无需重复引用");
    refuse = false;
    // antd ends a button's loading state a render after the refusal; until then it ignores clicks.
    const choose = within(hit).getByTestId("cite-choose");
    await waitFor(() => expect(choose).not.toHaveClass("ant-btn-loading"));
    fireEvent.click(choose);
    const row = await screen.findByTestId("citation", {}, { timeout: 5000 });
    expect(within(row).getByTestId("citation-title")).toHaveTextContent("《中国共产党纪律处分条例》第八条");
    expect(within(row).getByTestId("citation-note")).toHaveTextContent("说明：处分种类");
    expect(screen.getByTestId("citations-card")).not.toHaveTextContent("第七条");
    expect(callsOf(invoke, "library_cite")[1]).toEqual({
      request: {
        record: "penalty:p-1",
        item: 2,
        document_id: "dang-jilv-chufen-tiaoli",
        version: "2023年修订",
        article: 8,
        note: "处分种类",
      },
    });
  });

  it("withdraws a citation after confirmation", async () => {
    const { invoke, api } = fakeInvoke({
      library_citations: () => [{ ...CITED, record: "complaint:k-1", item: null }],
      library_uncite: () => [],
    });
    renderPenalty(<CitationsCard record="complaint:k-1" />, api, ["petitions"]);
    fireEvent.click(await screen.findByTestId("citation-remove"));
    const confirm = await waitFor(() => document.querySelector<HTMLElement>(".ant-popconfirm")!);
    fireEvent.click(within(confirm).getByRole("button", { name: /撤\s*销/ }));
    await waitFor(() => expect(screen.queryByTestId("citation")).not.toBeInTheDocument());
    expect(callsOf(invoke, "library_uncite")).toEqual([{ record: "complaint:k-1", citation: "c-1" }]);
  });

  it("shows citations read-only to a post that cannot cite", async () => {
    const { api } = fakeInvoke({ library_citations: () => [{ ...CITED, item: null }] });
    renderPenalty(<CitationsCard record="complaint:k-1" />, api, ["admin"]);
    expect(await screen.findByTestId("citation")).toBeInTheDocument();
    expect(screen.queryByTestId("cite-open")).not.toBeInTheDocument();
    expect(screen.queryByTestId("citation-remove")).not.toBeInTheDocument();
  });
});
