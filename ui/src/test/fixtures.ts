import { vi } from "vitest";
import { createApi } from "../api";
import type { Api, InvokeFn } from "../api";
import type { AppStatus, HomeView, OfficeView, SessionView, UserView } from "../bindings";

export const OFFICE: OfficeView = {
  code: "530102",
  name: "五华区纪委监委",
  level: "county",
  parent_code: "530100",
};

export const ADMIN: UserView = {
  id: "u-1",
  username: "admin",
  display_name: "张三",
  office_code: "530102",
  grants: [
    { office_code: "530102", role: "admin" },
    { office_code: "530102", role: "case_management" },
  ],
  active: true,
  locked_until: null,
  pending_roles: [],
};

export const SESSION: SessionView = { session_id: "s-1", user: ADMIN, office: OFFICE };

export const HOME: HomeView = {
  office: OFFICE,
  user: ADMIN,
  today: { date: "2026-11-20", weekday: 5, working_day: true, provisional: false, note: "" },
};

export const STATUS_NEW: AppStatus = { initialized: false, office: null, db_path: "/tmp/qf.db" };
export const STATUS_READY: AppStatus = { initialized: true, office: OFFICE, db_path: "/tmp/qf.db" };

type Handler = (args?: Record<string, unknown>) => unknown;

/**
 * A fake `invoke`: each command answers from `handlers`; a handler that
 * throws makes the call reject with what it threw (as Tauri does with the
 * command's Err value). Unknown commands reject like Tauri does.
 */
export function fakeInvoke(handlers: Record<string, Handler>) {
  const fn = vi.fn<InvokeFn>(async (cmd, args) => {
    const h = handlers[cmd];
    if (!h) throw `command ${cmd} not found`;
    return h(args);
  });
  const api: Api = createApi(fn);
  return { invoke: fn, api };
}

export function reject(code: string, message: string): never {
  throw { code, message };
}
