// 省级平台发布 on the library: new arrivals marked 新到 and marked seen once shown, a province
// regulation tagged in the document list, the province's template beside the office's own with
// 采用 for the administrator only, and a refusal of the adoption shown in Chinese.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { DocumentSummary, ProvinceItem } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf } from "../../test/nav";
import { renderPenalty } from "../../test/penaltyNav";
import { LibraryScreen } from "./LibraryScreen";

const REGULATION: ProvinceItem = {
  kind: "regulation",
  id: "yn-xinfang-xize",
  version: 1,
  title: "云南省纪检监察机关信访举报工作细则",
  received_at: "2026-12-06T17:30:00Z",
  new: true,
  refused: null,
  adopted_as: null,
  office_version: null,
  adoptable: false,
};

const TEMPLATE: ProvinceItem = {
  kind: "checklist_template",
  id: "penalty.standard",
  version: 2,
  title: "处分决定执行事项清单（省级）",
  received_at: "2026-12-06T17:30:00Z",
  new: false,
  refused: null,
  adopted_as: null,
  office_version: 2,
  adoptable: true,
};

const DOC: DocumentSummary = {
  id: "yn-xinfang-xize",
  version: "省级第1版",
  title: "云南省纪检监察机关信访举报工作细则",
  issuer: "中共云南省纪委",
  number: null,
  effective: "2026-10-01",
  status: "in_force",
  source: "hub",
  excerpt: false,
  articles: 2,
  content_hash: "ab",
};

describe("ProvinceCard", () => {
  it("marks what is new, tags the province's regulation and offers no adoption to an officer", async () => {
    const { invoke, api } = fakeInvoke({
      library_documents: () => [DOC],
      province_content: () => [REGULATION, TEMPLATE],
      province_mark_seen: () => null,
    });
    renderPenalty(<LibraryScreen />, api, ["petitions"]);
    const card = await screen.findByTestId("province-content");
    await waitFor(() => expect(within(card).getAllByTestId("province-item")).toHaveLength(2));
    expect(within(card).getByTestId("province-new-total")).toHaveTextContent("新到 1 件");
    const [reg, tpl] = within(card).getAllByTestId("province-item");
    expect(within(reg!).getByTestId("province-new")).toBeInTheDocument();
    expect(reg).toHaveTextContent("已列入资料袋");
    // 17:30 UTC on the 6th is the 7th in Beijing.
    expect(reg).toHaveTextContent("收到于 2026-12-07");
    expect(tpl).toHaveTextContent("省级有新版本，本机关现用第 2 版");
    expect(within(card).queryByTestId("province-adopt")).not.toBeInTheDocument();
    expect(await screen.findByTestId("library-province")).toHaveTextContent("省级发布");
    await waitFor(() => expect(callsOf(invoke, "province_mark_seen")).toHaveLength(1));
  });

  it("lets the administrator adopt and shows a refusal in Chinese", async () => {
    let adopted = false;
    const { invoke, api } = fakeInvoke({
      library_documents: () => [DOC],
      province_content: () => [adopted ? { ...TEMPLATE, adoptable: false, adopted_as: 3 } : TEMPLATE],
      province_adopt: (args) => {
        if (callsOf(invoke, "province_adopt").length === 1) {
          reject("invalid", "执行事项清单模板《处分决定执行事项清单（省级）》省级第 2 版已有更新的省级版本，请采用最新版本。");
        }
        adopted = true;
        return args ? 3 : 0;
      },
    });
    renderPenalty(<LibraryScreen />, api, ["admin"]);
    const card = await screen.findByTestId("province-content");
    fireEvent.click(await within(card).findByTestId("province-adopt"));
    fireEvent.click(await screen.findByTestId("province-adopt-confirm"));
    expect(await within(card).findByTestId("province-error")).toHaveTextContent("已有更新的省级版本");
    fireEvent.click(within(card).getByTestId("province-adopt"));
    fireEvent.click(await screen.findByTestId("province-adopt-confirm"));
    await waitFor(() => expect(within(card).getByTestId("province-state")).toHaveTextContent("已采用为本机关第 3 版"));
    expect(callsOf(invoke, "province_adopt")).toEqual([
      { kind: "checklist_template", id: "penalty.standard", version: 2 },
      { kind: "checklist_template", id: "penalty.standard", version: 2 },
    ]);
    expect(within(card).queryByTestId("province-adopt")).not.toBeInTheDocument();
  });
});
