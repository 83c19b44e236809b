// Generated from the Rust types in crates/core/src/api.rs by ts-rs. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p qingfeng-desktop bindings` after changing them.

export type OfficeLevel = "province" | "prefecture" | "county";
export type Role = "admin" | "petitions" | "supervision" | "investigation" | "case_management" | "trial" | "leader";
export type OfficeView = { 
/**
 * Six-digit administrative division code (GB/T 2260), e.g. `530102`.
 */
code: string, name: string, level: OfficeLevel, parent_code: string | null, };
export type RoleGrant = { office_code: string, role: Role, };
export type UserView = { id: string, username: string, display_name: string, office_code: string, grants: Array<RoleGrant>, active: boolean, 
/**
 * RFC 3339 time until which login is refused after too many wrong passwords.
 */
locked_until: string | null, };
export type TodayView = { 
/**
 * ISO date, e.g. `2026-11-21`.
 */
date: string, 
/**
 * ISO weekday: 1 = Monday … 7 = Sunday.
 */
weekday: number, working_day: boolean, 
/**
 * True when the year is not in the calendar and only weekends were counted.
 */
provisional: boolean, 
/**
 * Why the day is what it is, in Chinese (e.g. "国庆节放假", "调休上班", "周末").
 */
note: string, };
export type AppStatus = { 
/**
 * False until the first-run setup has created the office and its administrator.
 */
initialized: boolean, office: OfficeView | null, db_path: string, };
export type SessionView = { session_id: string, user: UserView, office: OfficeView, };
export type HomeView = { office: OfficeView, user: UserView, today: TodayView, };
export type SetupRequest = { office_code: string, office_name: string, office_level: OfficeLevel, parent_code: string | null, admin_username: string, admin_display_name: string, admin_password: string, };
export type LoginRequest = { username: string, password: string, };
export type ErrorView = { code: string, message: string, };
