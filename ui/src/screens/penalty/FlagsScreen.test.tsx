// 影响期预警: each flagged benefit with its reason; a row opens the person, the number the decision.
import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { BenefitFlag } from "../../bindings";
import { fakeInvoke, reject } from "../../test/fixtures";
import { renderPenalty } from "../../test/penaltyNav";
import { FlagsScreen } from "./FlagsScreen";

const FLAG: BenefitFlag = {
  benefit_id: "b-1",
  person_name: "李四",
  person_unit: "区教育局",
  kind: "appraisal",
  kind_label: "年度考核",
  date: "2027-12-31",
  grade: "excellent",
  detail: "2027年度",
  penalty_id: "p-1",
  decision_number: "五纪处〔2026〕3号",
  reason: "处于“党内严重警告”影响期内（2026-11-02 至 2028-05-01），年度考核不得确定为优秀。",
};

describe("FlagsScreen", () => {
  it("lists each flag with its reason; the row opens the person's page, the number the decision", async () => {
    const { api } = fakeInvoke({ penalty_flags: () => [FLAG] });
    const { nav } = renderPenalty(<FlagsScreen />, api);
    const [row] = await screen.findAllByTestId("flag-row");
    expect(screen.getByTestId("flags-count")).toHaveTextContent("共 1 条预警");
    expect(row).toHaveTextContent("李四（区教育局）");
    expect(row).toHaveTextContent("年度考核 优秀：2027年度");
    expect(row).toHaveTextContent("年度考核不得确定为优秀");
    fireEvent.click(row!);
    expect(nav.go).toHaveBeenLastCalledWith({ page: "person", name: "李四", unit: "区教育局" });
    fireEvent.click(screen.getByTestId("flag-decision"));
    expect(nav.go).toHaveBeenLastCalledWith({ page: "penalty", id: "p-1" });
    expect(nav.go).toHaveBeenCalledTimes(2);
  });

  it("shows a refusal", async () => {
    const { api } = fakeInvoke({ penalty_flags: () => reject("forbidden", "您没有“查看处分执行和整改清单”的权限。") });
    renderPenalty(<FlagsScreen />, api, ["admin"]);
    expect(await screen.findByText("您没有“查看处分执行和整改清单”的权限。")).toBeInTheDocument();
  });
});
