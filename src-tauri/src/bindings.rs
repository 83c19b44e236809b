//! TypeScript declarations of the IPC types, generated from the Rust types with ts-rs.
//!
//! `ui/src/bindings.ts` is committed; the test below fails when it differs from what the Rust
//! types generate, and rewrites it when run with `UPDATE_BINDINGS=1`.

#[cfg(test)]
mod tests {
    use qingfeng_core::api::*;
    use qingfeng_core::complaints::query::*;
    use qingfeng_core::complaints::stats::*;
    use qingfeng_core::complaints::*;
    use qingfeng_core::deadlines::{DeadlineKind, DeadlineView, Light};
    use qingfeng_core::identity::{OfficeLevel, Role};
    use ts_rs::TS;

    fn generate() -> String {
        let decls = [
            OfficeLevel::decl(),
            Role::decl(),
            OfficeView::decl(),
            RoleGrant::decl(),
            UserView::decl(),
            RoleRequestView::decl(),
            TodayView::decl(),
            AppStatus::decl(),
            SessionView::decl(),
            HomeView::decl(),
            SetupRequest::decl(),
            LoginRequest::decl(),
            ErrorView::decl(),
            ComplaintChannel::decl(),
            ComplaintStatus::decl(),
            ScreeningOutcome::decl(),
            DisposalMethod::decl(),
            AccusationFinding::decl(),
            ApprovalAction::decl(),
            Reporter::decl(),
            Subject::decl(),
            RegisterComplaint::decl(),
            ScreenRequest::decl(),
            DatedRequest::decl(),
            ConcludeRequest::decl(),
            ObjectionRequest::decl(),
            ResultReviewRequest::decl(),
            ComplaintActionKind::decl(),
            CaseStage::decl(),
            qingfeng_core::complaints::attachments::AttachmentView::decl(),
            MilestoneRequest::decl(),
            DeadlineKind::decl(),
            Light::decl(),
            DeadlineView::decl(),
            ComplaintSummary::decl(),
            ComplaintPage::decl(),
            TimelineEntry::decl(),
            ApprovalView::decl(),
            qingfeng_core::directory::UnitKind::decl(),
            qingfeng_core::directory::DirectoryOffice::decl(),
            HandoverTargets::decl(),
            ComplaintDetail::decl(),
            qingfeng_core::complaints::query::OfficeRef::decl(),
            qingfeng_core::complaints::query::ConflictItem::decl(),
            ComplaintFilter::decl(),
            InboxItem::decl(),
            Dashboard::decl(),
            DashboardItem::decl(),
            SimilarComplaint::decl(),
            Count::decl(),
            StatsFilter::decl(),
            Statistics::decl(),
            UnitSummary::decl(),
            ExportFormat::decl(),
            qingfeng_core::queue::BlockedEvent::decl(),
            qingfeng_core::blobs::BlobTotals::decl(),
            qingfeng_core::replication::SyncStatus::decl(),
            qingfeng_sync::client::SyncReport::decl(),
            qingfeng_sync::client::BundleReport::decl(),
            // Penalty execution and rectification lists (处分决定执行、整改清单).
            qingfeng_core::penalty::PartyPenalty::decl(),
            qingfeng_core::penalty::GovernmentSanction::decl(),
            qingfeng_core::penalty::ItemStatus::decl(),
            qingfeng_core::penalty::ChecklistScope::decl(),
            qingfeng_core::penalty::RectificationSource::decl(),
            qingfeng_core::penalty::BenefitKind::decl(),
            qingfeng_core::penalty::AppraisalGrade::decl(),
            qingfeng_core::penalty::PenaltyPerson::decl(),
            qingfeng_core::penalty::RegisterPenalty::decl(),
            qingfeng_core::penalty::InfluencePeriod::decl(),
            qingfeng_core::penalty::Evidence::decl(),
            qingfeng_core::penalty::RectificationItemForm::decl(),
            qingfeng_core::penalty::RegisterRectification::decl(),
            qingfeng_core::penalty::ops::PaymentOutcome::decl(),
            qingfeng_core::penalty::query::SubmissionView::decl(),
            qingfeng_core::penalty::query::PaymentView::decl(),
            qingfeng_core::penalty::query::GuidanceView::decl(),
            qingfeng_core::penalty::query::ReformOf::decl(),
            qingfeng_core::penalty::query::ReformList::decl(),
            qingfeng_core::penalty::workflow::ItemStep::decl(),
            qingfeng_core::penalty::query::ItemView::decl(),
            qingfeng_core::penalty::query::PeriodSpan::decl(),
            qingfeng_core::penalty::query::PenaltyDetail::decl(),
            qingfeng_core::penalty::query::ChecklistDetail::decl(),
            qingfeng_core::penalty::query::BoardFilter::decl(),
            qingfeng_core::penalty::query::CurrentItem::decl(),
            qingfeng_core::penalty::query::BoardRow::decl(),
            qingfeng_core::penalty::query::LightCounts::decl(),
            qingfeng_core::penalty::query::Board::decl(),
            qingfeng_core::penalty::query::QueueRow::decl(),
            qingfeng_core::penalty::query::BenefitFlag::decl(),
            qingfeng_core::penalty::query::RejectionRate::decl(),
            qingfeng_core::penalty::query::MonthCount::decl(),
            qingfeng_core::penalty::query::PenaltyStats::decl(),
            qingfeng_core::penalty::query::TemplateInfo::decl(),
            qingfeng_core::penalty::BenefitForm::decl(),
            qingfeng_core::penalty::query::BenefitView::decl(),
            qingfeng_core::penalty::query::PersonPenalty::decl(),
            qingfeng_core::penalty::query::PersonPage::decl(),
            crate::penalty::BenefitOutcome::decl(),
            crate::penalty::EvidenceUpload::decl(),
            crate::penalty::SubmitForm::decl(),
            // The reference library (资料袋).
            qingfeng_core::library::DocumentStatus::decl(),
            qingfeng_core::library::DocumentSource::decl(),
            qingfeng_core::library::HeadingLevel::decl(),
            qingfeng_core::library::Heading::decl(),
            qingfeng_core::library::ImportOutcome::decl(),
            qingfeng_core::library::CitationView::decl(),
            qingfeng_core::library::CiteRequest::decl(),
            qingfeng_core::library::query::SearchQuery::decl(),
            qingfeng_core::library::query::Highlight::decl(),
            qingfeng_core::library::query::Segment::decl(),
            qingfeng_core::library::query::SearchHit::decl(),
            qingfeng_core::library::query::SearchResults::decl(),
            qingfeng_core::library::query::DocumentSummary::decl(),
            qingfeng_core::library::Article::decl(),
            qingfeng_core::library::query::DocumentView::decl(),
            crate::library::ImportForm::decl(),
            qingfeng_core::province::ContentKind::decl(),
            qingfeng_core::province::ProvinceItem::decl(),
            // Integrity files and opinions (廉政档案、廉政意见回复).
            qingfeng_core::portrait::Purpose::decl(),
            qingfeng_core::portrait::UnitCategory::decl(),
            qingfeng_core::portrait::OpinionStatus::decl(),
            qingfeng_core::portrait::FindingKind::decl(),
            qingfeng_core::portrait::Finding::decl(),
            qingfeng_core::portrait::CadreForm::decl(),
            qingfeng_core::portrait::UnitForm::decl(),
            qingfeng_core::portrait::OpinionRequestForm::decl(),
            qingfeng_core::portrait::workflow::MatchStep::decl(),
            qingfeng_core::portrait::workflow::OpinionStep::decl(),
            qingfeng_core::portrait::score::Band::decl(),
            qingfeng_core::portrait::score::Deduction::decl(),
            qingfeng_core::portrait::score::Profile::decl(),
            qingfeng_core::portrait::query::CadreSummary::decl(),
            qingfeng_core::portrait::query::FileRecord::decl(),
            qingfeng_core::portrait::query::Reading::decl(),
            qingfeng_core::portrait::query::CadreFile::decl(),
            qingfeng_core::portrait::query::UnitRow::decl(),
            qingfeng_core::portrait::query::OpinionRow::decl(),
            qingfeng_core::portrait::query::OpinionPersonView::decl(),
            qingfeng_core::portrait::query::OpinionPage::decl(),
            crate::portrait::OpinionStepForm::decl(),
            // Supervision letters and circulars (监督建议书、提醒函、监督通报).
            qingfeng_core::supervision::LetterKind::decl(),
            qingfeng_core::supervision::ReminderTopic::decl(),
            qingfeng_core::supervision::LetterStatus::decl(),
            qingfeng_core::supervision::LetterForm::decl(),
            qingfeng_core::supervision::CircularUnit::decl(),
            qingfeng_core::supervision::workflow::LetterStep::decl(),
            qingfeng_core::supervision::workflow::CircularForm::decl(),
            qingfeng_core::supervision::query::LetterRow::decl(),
            qingfeng_core::supervision::query::FeedbackView::decl(),
            qingfeng_core::supervision::query::ReminderView::decl(),
            qingfeng_core::supervision::query::LetterDetail::decl(),
            qingfeng_core::supervision::query::CircularRow::decl(),
            qingfeng_core::supervision::query::SupervisionStats::decl(),
            crate::supervision::LetterStepForm::decl(),
            // Key problems and analysis (重点问题目录, 综合分析).
            qingfeng_core::analysis::catalogue::Category::decl(),
            qingfeng_core::analysis::catalogue::VersionHeld::decl(),
            qingfeng_core::analysis::catalogue::CatalogueView::decl(),
            qingfeng_core::analysis::report::ReportRequest::decl(),
            qingfeng_core::analysis::report::ReportSection::decl(),
            qingfeng_core::analysis::report::AnalysisReport::decl(),
            crate::analysis::AnalysisPreview::decl(),
            // Notices (告知书、通知): the register, templates, and the dialog's form and preview.
            qingfeng_core::documents::IssuedDocument::decl(),
            qingfeng_core::documents::DocumentFilter::decl(),
            qingfeng_core::documents::TemplateView::decl(),
            crate::notices::NoticeRecord::decl(),
            crate::notices::FieldInput::decl(),
            crate::notices::NoticeField::decl(),
            crate::notices::NoticeForm::decl(),
            crate::notices::NoticePreview::decl(),
            crate::notices::PrinterView::decl(),
            crate::notices::PrintStatusView::decl(),
            // The template editor's form (文书模板).
            qingfeng_notice::FieldType::decl(),
            qingfeng_notice::FieldRef::decl(),
            qingfeng_notice::Piece::decl(),
            qingfeng_notice::FormRow::decl(),
            qingfeng_notice::FormBlock::decl(),
            qingfeng_notice::FormField::decl(),
            qingfeng_notice::TemplateForm::decl(),
            crate::notices::TemplateEditor::decl(),
            // 数据迁移 (importing an older platform's records).
            qingfeng_core::migration::model::MigrationKind::decl(),
            qingfeng_core::migration::model::FieldSpec::decl(),
            qingfeng_core::migration::model::ColumnMap::decl(),
            qingfeng_core::migration::model::Mapping::decl(),
            qingfeng_core::migration::model::RowProblem::decl(),
            qingfeng_core::migration::model::MigrationOutcome::decl(),
            qingfeng_core::migration::model::MigrationReport::decl(),
            qingfeng_core::migration::model::FilePreview::decl(),
            qingfeng_core::migration::model::BatchView::decl(),
            qingfeng_core::migration::model::MigrationPhase::decl(),
            crate::migration::MigrationFile::decl(),
            crate::migration::MigrationProgress::decl(),
            // Backups and recovery (备份与恢复).
            qingfeng_core::recovery::BackupView::decl(),
            qingfeng_core::recovery::RecoveryStatus::decl(),
            qingfeng_core::recovery::backup::Stage::decl(),
            qingfeng_core::recovery::backup::Progress::decl(),
            qingfeng_core::recovery::backup::BackupHeader::decl(),
            qingfeng_core::recovery::backup::BackupReport::decl(),
            qingfeng_core::recovery::backup::ListedBackup::decl(),
            qingfeng_core::recovery::restore::ExistingDb::decl(),
            qingfeng_core::recovery::restore::RestorePreview::decl(),
            qingfeng_core::recovery::restore::RestoreReport::decl(),
            qingfeng_sync::restore::DeviceRestored::decl(),
            qingfeng_sync::restore::HubRestoreReport::decl(),
            crate::recovery::RecoveryCodeView::decl(),
            crate::recovery::StartupView::decl(),
            crate::recovery::BackupSettings::decl(),
            // The officer's desk (工作台).
            qingfeng_core::worklist::WorkKind::decl(),
            qingfeng_core::worklist::WorkTarget::decl(),
            qingfeng_core::worklist::WorkItem::decl(),
            qingfeng_core::worklist::KindCount::decl(),
            qingfeng_core::worklist::Worklist::decl(),
            qingfeng_core::worklist::WorklistFilter::decl(),
            crate::desk::QuarterlyReportForm::decl(),
            crate::users::NewUserForm::decl(),
        ];
        let mut out = String::from(
            "// Generated from the Rust types in crates/core/src/api.rs by ts-rs. Do not edit by hand:\n\
             // run `UPDATE_BINDINGS=1 cargo test -p qingfeng-desktop bindings` after changing them.\n\n",
        );
        for d in decls {
            out.push_str("export ");
            out.push_str(&d);
            out.push('\n');
        }
        out
    }

    #[test]
    fn bindings_are_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let generated = generate();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).expect("write ui/src/bindings.ts");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p qingfeng-desktop bindings`.\n\
             --- generated ---\n{generated}"
        );
    }
}
