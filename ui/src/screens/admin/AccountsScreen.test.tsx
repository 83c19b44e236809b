// 账号管理: the administrator adds an account with its posts, resets a password, changes posts and
// deactivates an account, and sees the core's refusals in its own words.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { UserView } from "../../bindings";
import { ADMIN, fakeInvoke, reject } from "../../test/fixtures";
import { callsOf, renderScreen } from "../../test/nav";
import { AccountsScreen } from "./AccountsScreen";

const WANG: UserView = {
  id: "u-2",
  username: "wangxf",
  display_name: "王信访",
  office_code: "530102",
  grants: [{ office_code: "530102", role: "petitions" }],
  active: true,
  locked_until: null,
  pending_roles: [],
};

describe("AccountsScreen", () => {
  it("lists the office's accounts by name and post, never by id", async () => {
    const { api } = fakeInvoke({ role_requests: () => [], users_list: () => [ADMIN, { ...WANG, active: false }] });
    renderScreen(<AccountsScreen />, api);
    const rows = await screen.findAllByTestId("account-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("张三");
    expect(rows[0]).toHaveTextContent("系统管理员");
    expect(rows[0]).toHaveTextContent("案件监督管理室");
    expect(rows[1]).toHaveTextContent("信访室");
    expect(rows[1]).toHaveTextContent("已停用");
    expect(screen.getByTestId("page-accounts").textContent).not.toMatch(/u-1|u-2|petitions|case_management/);
    expect(screen.getByText("本单位账号（共 2 个）")).toBeInTheDocument();
  });

  it("adds an account with its posts, and checks the password twice first", async () => {
    const { invoke, api } = fakeInvoke({ role_requests: () => [], users_list: () => [ADMIN], user_add: () => WANG });
    renderScreen(<AccountsScreen />, api);
    await screen.findAllByTestId("account-row");
    fireEvent.change(screen.getByTestId("user-add-name"), { target: { value: " 王信访 " } });
    fireEvent.change(screen.getByTestId("user-add-username"), { target: { value: "wangxf" } });
    fireEvent.change(screen.getByTestId("user-add-password"), { target: { value: "Xinfang#2026" } });
    fireEvent.change(screen.getByTestId("user-add-confirm"), { target: { value: "Xinfang#2027" } });
    fireEvent.click(within(screen.getByTestId("user-add-roles")).getByLabelText("信访室"));
    fireEvent.click(screen.getByTestId("user-add-submit"));
    expect(await screen.findByText("两次输入的密码不一致")).toBeInTheDocument();
    expect(callsOf(invoke, "user_add")).toHaveLength(0);
    fireEvent.change(screen.getByTestId("user-add-confirm"), { target: { value: "Xinfang#2026" } });
    fireEvent.click(screen.getByTestId("user-add-submit"));
    await waitFor(() =>
      expect(callsOf(invoke, "user_add")).toEqual([
        { form: { username: "wangxf", display_name: "王信访", password: "Xinfang#2026", roles: ["petitions"] } },
      ]),
    );
    await waitFor(() => expect(screen.getAllByTestId("account-row")).toHaveLength(2));
  });

  it("shows the core's refusal of a new account and keeps the form", async () => {
    const { api } = fakeInvoke({
      role_requests: () => [],
      users_list: () => [ADMIN],
      user_add: () => reject("invalid", "账号“admin”已存在，请换一个账号名。"),
    });
    renderScreen(<AccountsScreen />, api);
    await screen.findAllByTestId("account-row");
    fireEvent.change(screen.getByTestId("user-add-name"), { target: { value: "李四" } });
    fireEvent.change(screen.getByTestId("user-add-username"), { target: { value: "admin" } });
    fireEvent.change(screen.getByTestId("user-add-password"), { target: { value: "Lisi#20260" } });
    fireEvent.change(screen.getByTestId("user-add-confirm"), { target: { value: "Lisi#20260" } });
    fireEvent.click(within(screen.getByTestId("user-add-roles")).getByLabelText("案件审理室"));
    fireEvent.click(screen.getByTestId("user-add-submit"));
    expect(await screen.findByTestId("user-add-error")).toHaveTextContent("账号“admin”已存在");
    expect(screen.getByTestId("user-add-username")).toHaveValue("admin");
  });

  it("grants and revokes posts one at a time, and says why the last administrator stays", async () => {
    const { invoke, api } = fakeInvoke({
      role_requests: () => [],
      users_list: () => [ADMIN, WANG],
      user_set_role: (a) => {
        const { role, granted, username } = a as { role: string; granted: boolean; username: string };
        if (username === "admin") reject("invalid", "不能撤销最后一位系统管理员的角色，否则将无人能管理账号。");
        return { ...WANG, grants: granted ? [...WANG.grants, { office_code: "530102", role }] : [] };
      },
    });
    renderScreen(<AccountsScreen />, api);
    const rows = await screen.findAllByTestId("account-row");
    fireEvent.click(within(rows[1]!).getByTestId("account-roles"));
    fireEvent.click(within(await screen.findByTestId("user-roles")).getByLabelText("分管领导"));
    await waitFor(() => expect(callsOf(invoke, "user_set_role")).toEqual([{ username: "wangxf", role: "leader", granted: true }]));
    await waitFor(() => expect(screen.getAllByTestId("account-row")[1]).toHaveTextContent("分管领导"));
    fireEvent.click(screen.getByText("完成"));
    fireEvent.click(within(screen.getAllByTestId("account-row")[0]!).getByTestId("account-roles"));
    fireEvent.click(within(await screen.findByTestId("user-roles")).getByLabelText("系统管理员"));
    expect(await screen.findByTestId("user-roles-error")).toHaveTextContent("不能撤销最后一位系统管理员");
  });

  it("resets a password and deactivates an account after asking", async () => {
    const { invoke, api } = fakeInvoke({
      role_requests: () => [],
      users_list: () => [ADMIN, WANG],
      user_set_password: () => WANG,
      user_set_active: () => ({ ...WANG, active: false }),
    });
    renderScreen(<AccountsScreen />, api);
    const rows = await screen.findAllByTestId("account-row");
    fireEvent.click(within(rows[1]!).getByTestId("account-password"));
    fireEvent.change(await screen.findByTestId("user-reset-password"), { target: { value: "New#pass2026" } });
    fireEvent.change(screen.getByTestId("user-reset-confirm"), { target: { value: "New#pass2026" } });
    fireEvent.click(screen.getByTestId("user-password-ok"));
    await waitFor(() => expect(callsOf(invoke, "user_set_password")).toEqual([{ username: "wangxf", password: "New#pass2026" }]));
    expect(await screen.findByText("已为 王信访 设置新密码")).toBeInTheDocument();

    fireEvent.click(within(screen.getAllByTestId("account-row")[1]!).getByTestId("account-deactivate"));
    expect(callsOf(invoke, "user_set_active")).toHaveLength(0);
    fireEvent.click(await screen.findByTestId("account-deactivate-ok"));
    await waitFor(() => expect(callsOf(invoke, "user_set_active")).toEqual([{ username: "wangxf", active: false }]));
    await waitFor(() => expect(screen.getAllByTestId("account-row")[1]).toHaveTextContent("已停用"));
  });

  it("a grant of 信访室 waits for a second administrator, who approves it here", async () => {
    const ZHAO: UserView = { ...WANG, id: "u-3", username: "zhaojc", display_name: "赵监察", grants: [] };
    let requested = false;
    let decided = false;
    const request = {
      id: "r-1",
      username: "zhaojc",
      display_name: "赵监察",
      role: "petitions" as const,
      requested_by: "李管理",
      requested_at: "2026-12-07 10:30",
      status: "pending",
      decided_by: null,
      decided_at: null,
      comment: null,
    };
    const { invoke, api } = fakeInvoke({
      users_list: () => [ADMIN, ZHAO],
      user_set_role: () => {
        requested = true;
        return { ...ZHAO, pending_roles: ["petitions"] };
      },
      role_requests: () => (requested && !decided ? [request] : []),
      role_request_decide: () => {
        decided = true;
        return { ...request, status: "approved" };
      },
    });
    renderScreen(<AccountsScreen />, api);
    const rows = await screen.findAllByTestId("account-row");
    fireEvent.click(within(rows[1]!).getByTestId("account-roles"));
    fireEvent.click(within(await screen.findByTestId("user-roles")).getByLabelText("信访室"));
    expect(await screen.findByTestId("user-role-pending-petitions")).toHaveTextContent("待另一位管理员批准");
    fireEvent.click(screen.getByText("完成"));
    const card = await screen.findByTestId("role-requests");
    expect(card).toHaveTextContent("赵监察（zhaojc）");
    expect(card).toHaveTextContent("李管理");
    fireEvent.click(within(card).getByTestId("role-request-approve"));
    await waitFor(() => expect(callsOf(invoke, "role_request_decide")).toEqual([{ id: "r-1", approve: true, comment: "" }]));
    await waitFor(() => expect(screen.queryByTestId("role-requests")).toBeNull());
  });
});
