//! The Qingfeng desktop program: opens the encrypted store and serves the web UI's IPC commands.
//!
//! Every command here is a thin adapter: it takes the request, calls `qingfeng-core`, and turns
//! the result into a view or an error (`error.rs`: one type, from every library's error, sent as an
//! `ErrorView` with a Chinese message); `session.rs` is the one place that locks the store and
//! resolves the user. No rule lives in this crate.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod analysis;
mod bindings;
mod commands;
mod complaints;
mod desk;
mod error;
mod files;
mod library;
mod memory;
mod migration;
mod notices;
mod penalty;
mod portrait;
mod recovery;
mod session;
mod state;
mod supervision;
mod sync;
mod users;
mod webview;

fn main() -> anyhow::Result<()> {
    memory::before_start();
    let state = state::AppState::from_env();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .manage(recovery::PendingSheet::default())
        .setup(|app| {
            webview::tune(app);
            sync::spawn_background(app.handle().clone());
            recovery::spawn_scheduler(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::setup_office,
            commands::login,
            commands::logout,
            commands::home,
            commands::mark_ready,
            complaints::inbox,
            complaints::dashboard,
            complaints::complaint_list,
            complaints::complaint_page,
            complaints::complaint_show,
            complaints::complaint_similar,
            complaints::complaint_register,
            complaints::complaint_screen,
            complaints::complaint_notify_acceptance,
            complaints::complaint_record_forwarded,
            complaints::complaint_report_result,
            complaints::complaint_request_approval,
            complaints::approval_decide,
            complaints::complaint_inquiry_reply,
            complaints::complaint_conclude,
            complaints::complaint_feedback,
            complaints::complaint_objection,
            complaints::complaint_reveal_reporter,
            complaints::statistics,
            complaints::unit_summary,
            complaints::complaint_export,
            complaints::complaint_case_milestone,
            complaints::complaint_start_detention,
            complaints::complaint_extend_detention,
            complaints::complaint_end_detention,
            complaints::complaint_attach,
            complaints::complaint_open_attachment,
            complaints::complaint_review_result,
            penalty::penalty_board,
            penalty::penalty_show,
            penalty::penalty_register,
            penalty::penalty_review_queue,
            penalty::penalty_flags,
            penalty::penalty_person,
            penalty::penalty_record_benefit,
            penalty::penalty_stats,
            penalty::checklist_submit,
            penalty::checklist_approve,
            penalty::checklist_reject,
            penalty::checklist_guide,
            penalty::checklist_pay,
            penalty::checklist_extend,
            penalty::checklist_open_evidence,
            penalty::checklist_templates,
            penalty::rectification_register,
            penalty::rectification_show,
            library::library_documents,
            library::library_search,
            library::library_show,
            library::library_import,
            library::library_cite,
            library::library_uncite,
            library::library_citations,
            portrait::integrity_cadres,
            portrait::integrity_file,
            portrait::integrity_match,
            portrait::integrity_units,
            portrait::integrity_unit_register,
            portrait::opinion_list,
            portrait::opinion_register,
            portrait::opinion_page,
            portrait::opinion_step,
            supervision::letter_list,
            supervision::letter_page,
            supervision::letter_register,
            supervision::letter_step,
            supervision::circular_list,
            supervision::circular_draft,
            supervision::supervision_stats,
            analysis::catalogue_current,
            analysis::analysis_preview,
            analysis::analysis_save,
            notices::notice_form,
            notices::notice_preview,
            notices::notice_issue,
            notices::notice_pages,
            notices::notice_print,
            notices::notice_save_pdf,
            notices::notice_printers,
            notices::notice_print_status,
            notices::notice_register,
            notices::notice_templates,
            notices::notice_template_form,
            notices::notice_template_preview,
            notices::notice_template_save_form,
            notices::notice_template_export,
            notices::notice_template_import,
            sync::sync_status,
            sync::sync_conflicts,
            sync::conflict_resolve,
            sync::sync_now,
            sync::sync_enroll,
            sync::bundle_export,
            sync::bundle_import,
            recovery::recovery_status,
            recovery::recovery_make,
            recovery::recovery_sheet_print,
            recovery::recovery_sheet_save,
            recovery::recovery_sheet_forget,
            recovery::backup_settings_save,
            recovery::backup_now,
            recovery::backup_list,
            recovery::startup_state,
            recovery::recovery_unlock,
            recovery::restore_preview,
            recovery::restore_backup,
            recovery::restore_hub_notice,
            recovery::restore_hub,
            // The officer's desk (工作台).
            desk::worklist,
            desk::quarterly_report_submit,
            penalty::checklist_pick_evidence,
            // 数据迁移 (importing an older platform's records).
            migration::migration_pick_file,
            migration::migration_preview,
            migration::migration_save_mapping,
            migration::migration_dry_run,
            migration::migration_import,
            migration::migration_batches,
            files::library_pick_file,
            files::bundle_pick_save,
            files::bundle_pick_open,
            files::enrollment_request_save,
            files::enrollment_certificate_install,
            users::users_list,
            users::user_add,
            users::user_set_role,
            users::user_set_active,
            users::user_set_password,
            users::role_requests,
            users::role_request_decide,
            library::province_content,
            library::province_new_count,
            library::province_mark_seen,
            library::province_adopt,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
