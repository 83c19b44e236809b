import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import type { RegisterComplaint } from "../../bindings";
import { DETAIL, SIMILAR } from "../../test/complaints";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf, renderScreen } from "../../test/nav";
import { MSG, RegisterScreen } from "./RegisterScreen";
import { todayIso } from "./common";

type Handlers = Parameters<typeof fakeInvoke>[0];

function setup(handlers: Handlers = {}) {
  const { invoke, api } = fakeInvoke({
    complaint_similar: () => [],
    complaint_register: () => DETAIL,
    ...handlers,
  });
  const { nav } = renderScreen(<RegisterScreen />, api);
  return { invoke, nav };
}

const fill = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

function fillMatter() {
  fill("reg-summary", "  反映王五收受礼金  ");
  fill("reg-content", "  中秋节期间收受礼金。 ");
  fill("reg-subject-name-0", " 王五 ");
  fill("reg-subject-post-0", "局长");
  fill("reg-subject-unit-0", " 某局 ");
}

function typeDate(id: string, value: string) {
  const input = screen.getByTestId(id);
  fireEvent.mouseDown(input);
  fireEvent.click(input);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13 });
  fireEvent.blur(input);
}

const submit = () => fireEvent.click(screen.getByTestId("reg-submit"));

describe("RegisterScreen", () => {
  it("puts the test hooks on real inputs and defaults to a letter received today", () => {
    setup();
    for (const id of ["reg-received-date", "reg-reporter-name", "reg-reporter-contact", "reg-summary", "reg-subject-name-0"]) {
      expect(screen.getByTestId(id).tagName).toBe("INPUT");
    }
    expect(screen.getByTestId("reg-content").tagName).toBe("TEXTAREA");
    expect(screen.getByTestId("reg-received-date")).toHaveValue(todayIso());
    const letter = screen.getByTestId("reg-channel-letter").closest("label")!.querySelector("input")!;
    expect(letter).toBeChecked();
  });

  it("refuses to save without summary, content and a person reported, and calls nothing", async () => {
    const { invoke } = setup();
    submit();
    expect(await screen.findByText(MSG.summary)).toBeInTheDocument();
    expect(screen.getByText(MSG.content)).toBeInTheDocument();
    expect(screen.getByText(MSG.subjects)).toBeInTheDocument();
    // Only the key-problem catalogue is read, for the category picker.
    expect(invoke.mock.calls.filter(([cmd]) => cmd !== "catalogue_current")).toEqual([]);
  });

  it("requires the name and the contact of a real-name reporter", async () => {
    const { invoke } = setup();
    fillMatter();
    fireEvent.click(screen.getByTestId("reg-real-name"));
    submit();
    expect(await screen.findByText(MSG.realName)).toBeInTheDocument();
    expect(screen.getByText(MSG.realContact)).toBeInTheDocument();
    // Only the key-problem catalogue is read, for the category picker.
    expect(invoke.mock.calls.filter(([cmd]) => cmd !== "catalogue_current")).toEqual([]);
  });

  it("sends a trimmed form for an anonymous complaint and opens the new page", async () => {
    const { invoke, nav } = setup();
    const received = dayjs().subtract(3, "day").format("YYYY-MM-DD");
    fireEvent.click(screen.getByTestId("reg-channel-phone"));
    typeDate("reg-received-date", received);
    fill("reg-reporter-name", "张三");
    fireEvent.click(screen.getByTestId("reg-real-name"));
    fireEvent.click(screen.getByTestId("reg-anonymous"));
    expect(screen.queryByTestId("reg-reporter-name")).not.toBeInTheDocument();
    fillMatter();
    submit();
    await waitFor(() => expect(callsOf(invoke, "complaint_register")).toHaveLength(1));
    const expected: RegisterComplaint = {
      channel: "phone",
      received_at: received,
      reporter: null,
      real_name: false,
      real_name_verified: null,
      summary: "反映王五收受礼金",
      content: "中秋节期间收受礼金。",
      categories: [],
      subjects: [{ name: "王五", post: "局长", unit: "某局", level: "" }],
      repeat_of: null,
    };
    expect(callsOf(invoke, "complaint_similar")).toEqual([{ form: expected }]);
    expect(callsOf(invoke, "complaint_register")).toEqual([{ form: expected }]);
    await waitFor(() => expect(nav.go).toHaveBeenCalledWith({ page: "complaint", id: "c-1", initial: DETAIL }));
    expect(await screen.findByText("已登记，编号 530102-2026-00001")).toBeInTheDocument();
  });

  it("sends the reporter of a real-name complaint, with how it was verified", async () => {
    const { invoke } = setup();
    fill("reg-reporter-name", " 张三 ");
    fill("reg-reporter-contact", " 13800000000 ");
    fireEvent.click(screen.getByTestId("reg-real-name"));
    fireEvent.mouseDown(screen.getByTestId("reg-verified").querySelector(".ant-select-selector")!);
    fireEvent.click(await screen.findByTestId("option-phone"));
    fillMatter();
    submit();
    await waitFor(() => expect(callsOf(invoke, "complaint_register")).toHaveLength(1));
    const form = callsOf(invoke, "complaint_register")[0]!.form as RegisterComplaint;
    expect(form.reporter).toEqual({ name: "张三", unit: null, contact: "13800000000", address: null });
    expect(form.real_name).toBe(true);
    expect(form.real_name_verified).toBe("phone");
    expect(form.channel).toBe("letter");
  });

  it("stops at possible repeats, and 关联为重复 registers with repeat_of", async () => {
    const { invoke } = setup({ complaint_similar: () => SIMILAR });
    fillMatter();
    submit();
    const panel = await screen.findByTestId("reg-similar");
    expect(panel).toHaveTextContent("可能是重复举报");
    expect(panel).toHaveTextContent("530102-2026-00002");
    expect(panel).toHaveTextContent("被反映人相同：王五");
    expect(callsOf(invoke, "complaint_register")).toHaveLength(0);
    fireEvent.click(within(panel).getByTestId("reg-link-repeat"));
    await waitFor(() => expect(callsOf(invoke, "complaint_register")).toHaveLength(1));
    expect((callsOf(invoke, "complaint_register")[0]!.form as RegisterComplaint).repeat_of).toBe("c-2");
    expect(callsOf(invoke, "complaint_similar")).toHaveLength(1);
  });

  it("仍然登记 registers as a new complaint", async () => {
    const { invoke } = setup({ complaint_similar: () => SIMILAR });
    fillMatter();
    submit();
    fireEvent.click(await screen.findByTestId("reg-force-submit"));
    await waitFor(() => expect(callsOf(invoke, "complaint_register")).toHaveLength(1));
    expect((callsOf(invoke, "complaint_register")[0]!.form as RegisterComplaint).repeat_of).toBeNull();
  });

  it("looks for repeats after leaving the summary field", async () => {
    const { invoke } = setup({ complaint_similar: () => SIMILAR });
    fill("reg-summary", "王五");
    fireEvent.blur(screen.getByTestId("reg-summary"));
    expect(await screen.findByTestId("reg-similar", {}, { timeout: 3000 })).toBeInTheDocument();
    expect((callsOf(invoke, "complaint_similar")[0]!.form as RegisterComplaint).summary).toBe("王五");
    expect(callsOf(invoke, "complaint_register")).toHaveLength(0);
  });

  it("shows the backend's message and keeps what was entered", async () => {
    setup({ complaint_register: () => reject("invalid", "收到时间晚于当前时间，请填写实际收到检举控告的时间。") });
    fillMatter();
    await act(async () => submit());
    expect(await screen.findByTestId("reg-error")).toHaveTextContent("收到时间晚于当前时间");
    expect(screen.getByTestId("reg-summary")).toHaveValue("  反映王五收受礼金  ");
  });
});
