//! Build script: generates Tauri's context and the permission set for the app's own commands.

/// The IPC commands the web UI may call. Listing them makes Tauri generate one `allow-…`
/// permission per command, so capabilities can grant each window exactly what it needs.
const COMMANDS: &[&str] = &[
    "app_status",
    "setup_office",
    "login",
    "logout",
    "home",
    "mark_ready",
    "inbox",
    "dashboard",
    "complaint_list",
    "complaint_show",
    "complaint_similar",
    "complaint_register",
    "complaint_screen",
    "complaint_notify_acceptance",
    "complaint_record_forwarded",
    "complaint_report_result",
    "complaint_request_approval",
    "approval_decide",
    "complaint_inquiry_reply",
    "complaint_conclude",
    "complaint_feedback",
    "complaint_objection",
    "complaint_reveal_reporter",
    "statistics",
    "unit_summary",
    "complaint_export",
    "complaint_case_milestone",
    "complaint_start_detention",
    "complaint_extend_detention",
    "complaint_end_detention",
    "complaint_attach",
    "complaint_open_attachment",
    "sync_status",
    "sync_conflicts",
    "conflict_resolve",
    "sync_now",
    "sync_enroll",
    "bundle_export",
    "bundle_import",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri build step failed: {e:#}"));
}
