// Typed wrappers around the Tauri commands. The Rust side is the source of
// truth for every shape here (see bindings.ts, generated from Rust).
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { createContext, useContext } from "react";
import type {
  BatchView,
  Mapping,
  MigrationFile,
  MigrationKind,
  MigrationReport,
  CircularForm,
  CircularRow,
  LetterDetail,
  LetterForm,
  LetterRow,
  LetterStepForm,
  SupervisionStats,
  CadreFile,
  CadreSummary,
  MatchStep,
  OpinionPage,
  OpinionRequestForm,
  OpinionRow,
  OpinionStepForm,
  UnitForm,
  UnitRow,
  MilestoneRequest,
  AppStatus,
  BundleReport,
  ApprovalAction,
  ComplaintDetail,
  ComplaintFilter,
  ComplaintPage,
  ComplaintSummary,
  ConcludeRequest,
  Dashboard,
  DatedRequest,
  ResultReviewRequest,
  ErrorView,
  ExportFormat,
  HomeView,
  InboxItem,
  LoginRequest,
  ObjectionRequest,
  RegisterComplaint,
  Reporter,
  ScreenRequest,
  SessionView,
  SetupRequest,
  SimilarComplaint,
  Statistics,
  StatsFilter,
  SyncReport,
  SyncStatus,
  ConflictItem,
  UnitSummary,
  Board,
  BoardFilter,
  BenefitFlag,
  BenefitForm,
  BenefitOutcome,
  ChecklistDetail,
  ChecklistScope,
  PaymentOutcome,
  PenaltyDetail,
  PenaltyStats,
  PersonPage,
  QueueRow,
  RegisterPenalty,
  RegisterRectification,
  SubmitForm,
  TemplateInfo,
  CitationView,
  CiteRequest,
  DocumentSummary,
  ContentKind,
  ProvinceItem,
  DocumentView,
  ImportForm,
  ImportOutcome,
  SearchQuery,
  SearchResults,
  DocumentFilter,
  FieldInput,
  IssuedDocument,
  NoticeForm,
  NoticePreview,
  NoticeRecord,
  PrinterView,
  PrintStatusView,
  TemplateView,
  TemplateEditor,
  TemplateForm,
  BackupReport,
  BackupSettings,
  HubRestoreReport,
  ListedBackup,
  RecoveryCodeView,
  RecoveryStatus,
  RestorePreview,
  RestoreReport,
  StartupView,
  Worklist,
  WorklistFilter,
  EvidenceUpload,
  QuarterlyReportForm,
  NewUserForm,
  Role,
  RoleRequestView,
  UserView,
  AnalysisPreview,
  CatalogueView,
  ReportRequest,
} from "./bindings";

/** Same call shape as `invoke` from `@tauri-apps/api/core`; injectable for tests. */
export type InvokeFn = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;

/** Every failed command is rethrown as an ApiError whose message is fit to show. */
export class ApiError extends Error {
  readonly code: string;
  constructor(view: ErrorView) {
    super(view.message);
    this.name = "ApiError";
    this.code = view.code;
  }
  get view(): ErrorView {
    return { code: this.code, message: this.message };
  }
}

export function isErrorView(value: unknown): value is ErrorView {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

function rawText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // fall through
  }
  return String(value);
}

/** Turns whatever `invoke` rejected with into an ErrorView with a Chinese message. */
export function toErrorView(error: unknown): ErrorView {
  if (error instanceof ApiError) return error.view;
  if (isErrorView(error)) return { code: error.code, message: error.message };
  const raw = rawText(error).trim();
  return {
    code: "unexpected",
    message: raw ? `操作未能完成，发生意外错误：${raw}` : "操作未能完成，发生意外错误。",
  };
}

/** Message to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  return toErrorView(error).message;
}

export interface Api {
  appStatus(): Promise<AppStatus>;
  setupOffice(req: SetupRequest): Promise<SessionView>;
  login(req: LoginRequest): Promise<SessionView>;
  logout(): Promise<null>;
  home(): Promise<HomeView>;
  /** Tells the backend the first screen is up (startup benchmark). Never throws. */
  markReady(): Promise<void>;

  // Complaints (检举控告). Tauri turns Rust's snake_case argument names into
  // camelCase on this side: `approval_id` is sent as `approvalId`.
  inbox(): Promise<InboxItem[]>;
  dashboard(): Promise<Dashboard>;
  complaintList(filter: ComplaintFilter): Promise<ComplaintSummary[]>;
  /** The list screen's page with the office's true total under the filter. */
  complaintPage(filter: ComplaintFilter): Promise<ComplaintPage>;
  complaintShow(id: string): Promise<ComplaintDetail>;
  complaintSimilar(form: RegisterComplaint): Promise<SimilarComplaint[]>;
  complaintRegister(form: RegisterComplaint): Promise<ComplaintDetail>;
  complaintScreen(id: string, req: ScreenRequest): Promise<ComplaintDetail>;
  complaintNotifyAcceptance(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  complaintRecordForwarded(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  complaintReportResult(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  complaintReviewResult(id: string, req: ResultReviewRequest): Promise<ComplaintDetail>;
  complaintInquiryReply(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  complaintFeedback(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  complaintCaseMilestone(id: string, req: MilestoneRequest): Promise<ComplaintDetail>;
  complaintStartDetention(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  /** `req.note` carries the upper level's approval reference (批准文号). */
  complaintExtendDetention(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  complaintEndDetention(id: string, req: DatedRequest): Promise<ComplaintDetail>;
  /** Attaches the files the officer picks in the platform's open dialog; null when cancelled. */
  complaintAttach(id: string): Promise<ComplaintDetail | null>;
  /** Saves an attachment where the officer chooses (recorded); the path, or null when cancelled. */
  complaintOpenAttachment(id: string, sha256: string, name: string, purpose: string): Promise<string | null>;
  complaintRequestApproval(id: string, request: ApprovalAction, reason: string): Promise<ComplaintDetail>;
  approvalDecide(id: string, approvalId: string, granted: boolean, comment: string): Promise<ComplaintDetail>;
  complaintConclude(id: string, req: ConcludeRequest): Promise<ComplaintDetail>;
  complaintObjection(id: string, req: ObjectionRequest): Promise<ComplaintDetail>;
  /** Reads the reporter's identity; the backend logs every reading. */
  complaintRevealReporter(id: string, purpose: string): Promise<Reporter | null>;

  // Statistics (统计分析).
  statistics(filter: StatsFilter): Promise<Statistics>;
  /** Everything about one reported unit (substring match), for an inspection tour. */
  unitSummary(unit: string): Promise<UnitSummary>;
  /** Saves the matching complaints (reporters masked) where the officer chooses in the save
   * dialog; the path, or null when cancelled. */
  complaintExport(filter: ComplaintFilter, format: ExportFormat): Promise<string | null>;

  // Penalty execution (处分决定执行) and rectification lists (整改清单). A penalty decision's
  // checklist has the decision's id. Steps return nothing: the page reloads what it shows.
  penaltyBoard(filter: BoardFilter): Promise<Board>;
  penaltyShow(id: string): Promise<PenaltyDetail>;
  penaltyRegister(form: RegisterPenalty): Promise<PenaltyDetail>;
  penaltyReviewQueue(): Promise<QueueRow[]>;
  penaltyFlags(): Promise<BenefitFlag[]>;
  /** A penalised person's page, found by name and unit exactly as the decision records them. */
  penaltyPerson(name: string, unit: string): Promise<PersonPage>;
  /** Records an appraisal, promotion, award or pay step; answers why it is barred, if it is. */
  penaltyRecordBenefit(form: BenefitForm): Promise<BenefitOutcome>;
  penaltyStats(scope: ChecklistScope): Promise<PenaltyStats>;
  checklistSubmit(checklistId: string, ord: number, req: SubmitForm): Promise<null>;
  checklistApprove(checklistId: string, ord: number, note: string, score: string | null): Promise<null>;
  checklistReject(checklistId: string, ord: number, note: string): Promise<null>;
  /** 案件审理室's guidance opinion (指导意见) on an item of a rectification list. */
  checklistGuide(checklistId: string, ord: number, text: string): Promise<null>;
  /** `amount` is yuan as text, exact to the fen (never a float). */
  checklistPay(checklistId: string, ord: number, amount: string, date: string, note: string): Promise<PaymentOutcome>;
  checklistExtend(checklistId: string, ord: number, months: number, approvalRef: string): Promise<null>;
  /** Saves an evidence file where the officer chooses; the path, or null when cancelled. */
  checklistOpenEvidence(checklistId: string, sha256: string): Promise<string | null>;
  /** Evidence files picked in the open dialog for a submission (empty when cancelled). */
  checklistPickEvidence(): Promise<EvidenceUpload[]>;
  checklistTemplates(): Promise<TemplateInfo[]>;
  rectificationRegister(form: RegisterRectification): Promise<ChecklistDetail>;
  rectificationShow(id: string): Promise<ChecklistDetail>;

  // The reference library (资料袋). A record is named by its aggregate: `complaint:<id>`,
  // `penalty:<id>` (with an item number for an execution item) or `checklist:<id>`.
  /** Every document version; the first call on a database loads the starter set. */
  libraryDocuments(): Promise<DocumentSummary[]>;
  librarySearch(query: SearchQuery): Promise<SearchResults>;
  libraryShow(doc: string, version: string | null): Promise<DocumentView>;
  /** Administrators: imports the text or Markdown file at `form.path`. */
  libraryImport(form: ImportForm): Promise<ImportOutcome>;
  /** The file to import, picked in the open dialog; null when cancelled. */
  libraryPickFile(): Promise<string | null>;
  // Province-wide content the hub published (省级发布): regulations and templates.
  provinceContent(): Promise<ProvinceItem[]>;
  /** How many arrived since this officer last looked (the menu's count). */
  provinceNewCount(): Promise<number>;
  provinceMarkSeen(): Promise<void>;
  /** Administrators: puts a province template in force as the office's next version. */
  provinceAdopt(kind: ContentKind, id: string, version: number): Promise<number>;
  // 数据迁移: an older platform's export, picked in the open dialog, checked and imported; the
  // dry run and the import report progress on the `migration-progress` event.
  migrationPickFile(): Promise<string | null>;
  migrationPreview(kind: MigrationKind, path: string): Promise<MigrationFile>;
  /** Returns the mappings saved for the mapping's kind. */
  migrationSaveMapping(mapping: Mapping): Promise<Mapping[]>;
  migrationDryRun(path: string, mapping: Mapping): Promise<MigrationReport>;
  migrationImport(path: string, mapping: Mapping): Promise<MigrationReport>;
  migrationBatches(): Promise<BatchView[]>;
  /** Returns the record's citations as they now stand. */
  libraryCite(request: CiteRequest): Promise<CitationView[]>;
  libraryUncite(record: string, citation: string): Promise<CitationView[]>;
  libraryCitations(record: string): Promise<CitationView[]>;
  // Integrity files and opinions (廉政档案、廉政意见回复). Every reading of a file, and of a
  // request's page (which reads each person's file), is logged by the backend with its purpose.
  integrityCadres(search: string): Promise<CadreSummary[]>;
  integrityFile(cadre: string, purpose: string): Promise<CadreFile>;
  integrityMatch(cadre: string, record: string, step: MatchStep, note: string): Promise<null>;
  integrityUnits(): Promise<UnitRow[]>;
  integrityUnitRegister(form: UnitForm): Promise<string>;
  opinionList(): Promise<OpinionRow[]>;
  opinionRegister(form: OpinionRequestForm): Promise<string>;
  opinionPage(id: string): Promise<OpinionPage>;
  opinionStep(id: string, form: OpinionStepForm): Promise<OpinionPage>;
  // Supervision letters and circulars (监督建议书、提醒函、监督通报); issued through the notice dialog.
  letterList(): Promise<LetterRow[]>;
  letterPage(id: string): Promise<LetterDetail>;
  letterRegister(form: LetterForm): Promise<LetterDetail>;
  letterStep(id: string, form: LetterStepForm): Promise<LetterDetail>;
  circularList(): Promise<CircularRow[]>;
  circularDraft(form: CircularForm): Promise<string>;
  supervisionStats(from: string, to: string): Promise<SupervisionStats>;
  // Key problems and analysis (重点问题目录, 综合分析): the catalogue in force, a report's preview,
  // and the report saved as PDF or Word through the save dialog.
  catalogueCurrent(): Promise<CatalogueView>;
  analysisPreview(request: ReportRequest): Promise<AnalysisPreview>;
  analysisSave(request: ReportRequest, format: "pdf" | "docx"): Promise<string | null>;
  // Notices (告知书、通知): the dialog's form and preview (no number consumed), issuing (签发),
  // printing and saving the stored PDF, the register (发文登记) and the templates.
  noticeForm(kind: string, record: NoticeRecord, fields: FieldInput[]): Promise<NoticeForm>;
  noticePreview(kind: string, record: NoticeRecord, fields: FieldInput[]): Promise<NoticePreview>;
  noticeIssue(kind: string, record: NoticeRecord, fields: FieldInput[]): Promise<IssuedDocument>;
  /** An issued notice's pages as PNG images (base64). */
  noticePages(id: string): Promise<string[]>;
  /** Prints the stored PDF; `printer` null means the default printer. Returns the job id. */
  noticePrint(id: string, printer: string | null): Promise<string>;
  /** Saves the stored PDF where the officer chooses; the path, or null when cancelled. */
  noticeSavePdf(id: string): Promise<string | null>;
  noticePrinters(): Promise<PrinterView[]>;
  noticePrintStatus(job: string): Promise<PrintStatusView>;
  noticeRegister(filter: DocumentFilter): Promise<IssuedDocument[]>;
  noticeTemplates(): Promise<TemplateView[]>;
  noticeTemplateSave(source: string): Promise<TemplateView>;
  /** One held template version as a form, with the number a save would give it. */
  noticeTemplateForm(kind: string, version: number): Promise<TemplateEditor>;
  /** The pages of an unsaved template form, rendered with sample values. */
  noticeTemplatePreview(form: TemplateForm): Promise<NoticePreview>;
  /** Saves the form as the kind's next version (administrators). */
  noticeTemplateSaveForm(form: TemplateForm): Promise<TemplateView>;
  /** Writes a version's template file where the administrator chooses; its name, or null when cancelled. */
  noticeTemplateExport(kind: string, version: number): Promise<string | null>;
  /** Reads a template file the administrator chooses, as a form; null when cancelled. */
  noticeTemplateImport(): Promise<TemplateForm | null>;

  // Sync with the provincial hub (同步).
  syncStatus(): Promise<SyncStatus>;
  syncConflicts(): Promise<ConflictItem[]>;
  conflictResolve(eventId: string, resolution: "adopted" | "dismissed", note: string): Promise<ConflictItem[]>;
  syncNow(): Promise<SyncReport>;
  syncEnroll(hubUrl: string, token: string): Promise<SyncStatus>;
  /** Writes an outbound bundle (USB) to `path`. */
  bundleExport(path: string): Promise<BundleReport>;
  /** Imports the hub's return bundle from `path`. */
  bundleImport(path: string): Promise<BundleReport>;

  // Backups and recovery (备份与恢复).
  recoveryStatus(): Promise<RecoveryStatus>;
  /** Makes (or, with `replace`, replaces) the recovery code; it is shown once. */
  recoveryMake(replace: boolean): Promise<RecoveryCodeView>;
  recoverySheetPrint(printer: string | null): Promise<string>;
  recoverySheetSave(): Promise<string>;
  recoverySheetForget(): Promise<null>;
  backupSettingsSave(req: BackupSettings): Promise<RecoveryStatus>;
  backupNow(): Promise<BackupReport>;
  backupList(): Promise<ListedBackup[]>;
  /** What the first screen needs before anyone logs in (lost key, nothing set up). */
  startupState(): Promise<StartupView>;
  recoveryUnlock(code: string): Promise<null>;
  restorePreview(file: string, code: string, office: string | null): Promise<RestorePreview>;
  restoreBackup(file: string, code: string, office: string | null, confirmed: boolean): Promise<RestoreReport>;
  restoreHubNotice(): Promise<string>;
  restoreHub(hubUrl: string, token: string, office: string, code: string | null): Promise<HubRestoreReport>;
  /** Where to write a bundle, or which return bundle to read: the platform's dialogs. */
  bundlePickSave(): Promise<string | null>;
  bundlePickOpen(): Promise<string | null>;
  /** Offline enrollment: writes the request file where the administrator chooses. */
  enrollmentRequestSave(): Promise<string | null>;
  /** Offline enrollment: installs the certificate file the hub issued. */
  enrollmentCertificateInstall(): Promise<SyncStatus | null>;

  // 账号管理 (the administrator): the office's accounts and their posts.
  usersList(): Promise<UserView[]>;
  userAdd(form: NewUserForm): Promise<UserView>;
  userSetRole(username: string, role: Role, granted: boolean): Promise<UserView>;
  userSetActive(username: string, active: boolean): Promise<UserView>;
  userSetPassword(username: string, password: string): Promise<UserView>;
  /** Requests to grant 信访室 or 分管领导, which a second administrator or a leader approves. */
  roleRequests(): Promise<RoleRequestView[]>;
  roleRequestDecide(id: string, approve: boolean, comment: string): Promise<RoleRequestView>;

  // The officer's desk (工作台): the post's to-do list, or only its counts for the menu.
  worklist(filter: WorklistFilter): Promise<Worklist>;
  quarterlyReportSubmit(form: QuarterlyReportForm): Promise<null>;
}

/** A filter with every field present and nothing set (the command needs them all). */
export function emptyFilter(): ComplaintFilter {
  return {
    status: null,
    channel: null,
    department: null,
    unit: null,
    received_from: null,
    received_to: null,
    overdue_only: false,
    text: null,
    limit: null,
  };
}

/** A board filter with every field present and nothing set: penalty decisions, all of them. */
export function emptyBoardFilter(): BoardFilter {
  return { scope: null, status: null, light: null, unit: null, text: null, limit: null };
}

export function createApi(invoke: InvokeFn = tauriInvoke as InvokeFn): Api {
  async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
    try {
      return (await invoke(cmd, args)) as T;
    } catch (error) {
      throw new ApiError(toErrorView(error));
    }
  }
  return {
    appStatus: () => call<AppStatus>("app_status"),
    setupOffice: (req) => call<SessionView>("setup_office", { req }),
    login: (req) => call<SessionView>("login", { req }),
    logout: () => call<null>("logout"),
    home: () => call<HomeView>("home"),
    inbox: () => call<InboxItem[]>("inbox"),
    dashboard: () => call<Dashboard>("dashboard"),
    complaintList: (filter) => call<ComplaintSummary[]>("complaint_list", { filter: { ...emptyFilter(), ...filter } }),
    complaintPage: (filter) => call<ComplaintPage>("complaint_page", { filter: { ...emptyFilter(), ...filter } }),
    complaintShow: (id) => call<ComplaintDetail>("complaint_show", { id }),
    complaintSimilar: (form) => call<SimilarComplaint[]>("complaint_similar", { form }),
    complaintRegister: (form) => call<ComplaintDetail>("complaint_register", { form }),
    complaintScreen: (id, req) => call<ComplaintDetail>("complaint_screen", { id, req }),
    complaintNotifyAcceptance: (id, req) => call<ComplaintDetail>("complaint_notify_acceptance", { id, req }),
    complaintRecordForwarded: (id, req) => call<ComplaintDetail>("complaint_record_forwarded", { id, req }),
    complaintReportResult: (id, req) => call<ComplaintDetail>("complaint_report_result", { id, req }),
    complaintReviewResult: (id, req) => call<ComplaintDetail>("complaint_review_result", { id, req }),
    complaintInquiryReply: (id, req) => call<ComplaintDetail>("complaint_inquiry_reply", { id, req }),
    complaintFeedback: (id, req) => call<ComplaintDetail>("complaint_feedback", { id, req }),
    complaintCaseMilestone: (id, req) => call<ComplaintDetail>("complaint_case_milestone", { id, req }),
    complaintStartDetention: (id, req) => call<ComplaintDetail>("complaint_start_detention", { id, req }),
    complaintExtendDetention: (id, req) => call<ComplaintDetail>("complaint_extend_detention", { id, req }),
    complaintEndDetention: (id, req) => call<ComplaintDetail>("complaint_end_detention", { id, req }),
    complaintAttach: (id) => call<ComplaintDetail | null>("complaint_attach", { id }),
    complaintOpenAttachment: (id, sha256, name, purpose) =>
      call<string | null>("complaint_open_attachment", { id, sha256, name, purpose }),
    complaintRequestApproval: (id, request, reason) =>
      call<ComplaintDetail>("complaint_request_approval", { id, request, reason }),
    approvalDecide: (id, approvalId, granted, comment) =>
      call<ComplaintDetail>("approval_decide", { id, approvalId, granted, comment }),
    complaintConclude: (id, req) => call<ComplaintDetail>("complaint_conclude", { id, req }),
    complaintObjection: (id, req) => call<ComplaintDetail>("complaint_objection", { id, req }),
    complaintRevealReporter: (id, purpose) => call<Reporter | null>("complaint_reveal_reporter", { id, purpose }),
    statistics: (filter) => call<Statistics>("statistics", { filter }),
    unitSummary: (unit) => call<UnitSummary>("unit_summary", { unit }),
    complaintExport: (filter, format) =>
      call<string | null>("complaint_export", { filter: { ...emptyFilter(), ...filter }, format }),
    penaltyBoard: (filter) => call<Board>("penalty_board", { filter: { ...emptyBoardFilter(), ...filter } }),
    penaltyShow: (id) => call<PenaltyDetail>("penalty_show", { id }),
    penaltyRegister: (form) => call<PenaltyDetail>("penalty_register", { form }),
    penaltyReviewQueue: () => call<QueueRow[]>("penalty_review_queue"),
    penaltyFlags: () => call<BenefitFlag[]>("penalty_flags"),
    penaltyPerson: (name, unit) => call<PersonPage>("penalty_person", { name, unit }),
    penaltyRecordBenefit: (form) => call<BenefitOutcome>("penalty_record_benefit", { form }),
    penaltyStats: (scope) => call<PenaltyStats>("penalty_stats", { scope }),
    checklistSubmit: (checklistId, ord, req) => call<null>("checklist_submit", { checklistId, ord, req }),
    checklistApprove: (checklistId, ord, note, score) =>
      call<null>("checklist_approve", { checklistId, ord, note, score }),
    checklistReject: (checklistId, ord, note) => call<null>("checklist_reject", { checklistId, ord, note }),
    checklistGuide: (checklistId, ord, text) => call<null>("checklist_guide", { checklistId, ord, text }),
    checklistPay: (checklistId, ord, amount, date, note) =>
      call<PaymentOutcome>("checklist_pay", { checklistId, ord, amount, date, note }),
    checklistExtend: (checklistId, ord, months, approvalRef) =>
      call<null>("checklist_extend", { checklistId, ord, months, approvalRef }),
    checklistOpenEvidence: (checklistId, sha256) =>
      call<string | null>("checklist_open_evidence", { checklistId, sha256 }),
    checklistPickEvidence: () => call<EvidenceUpload[]>("checklist_pick_evidence"),
    checklistTemplates: () => call<TemplateInfo[]>("checklist_templates"),
    rectificationRegister: (form) => call<ChecklistDetail>("rectification_register", { form }),
    rectificationShow: (id) => call<ChecklistDetail>("rectification_show", { id }),
    libraryDocuments: () => call<DocumentSummary[]>("library_documents"),
    librarySearch: (query) => call<SearchResults>("library_search", { query }),
    libraryShow: (doc, version) => call<DocumentView>("library_show", { doc, version }),
    libraryImport: (form) => call<ImportOutcome>("library_import", { form }),
    libraryPickFile: () => call<string | null>("library_pick_file"),
    provinceContent: () => call<ProvinceItem[]>("province_content"),
    provinceNewCount: () => call<number>("province_new_count"),
    provinceMarkSeen: () => call<void>("province_mark_seen"),
    provinceAdopt: (kind, id, version) => call<number>("province_adopt", { kind, id, version }),
    migrationPickFile: () => call<string | null>("migration_pick_file"),
    migrationPreview: (kind, path) => call<MigrationFile>("migration_preview", { kind, path }),
    migrationSaveMapping: (mapping) => call<Mapping[]>("migration_save_mapping", { mapping }),
    migrationDryRun: (path, mapping) => call<MigrationReport>("migration_dry_run", { path, mapping }),
    migrationImport: (path, mapping) => call<MigrationReport>("migration_import", { path, mapping }),
    migrationBatches: () => call<BatchView[]>("migration_batches"),
    libraryCite: (request) => call<CitationView[]>("library_cite", { request }),
    libraryUncite: (record, citation) => call<CitationView[]>("library_uncite", { record, citation }),
    libraryCitations: (record) => call<CitationView[]>("library_citations", { record }),
    integrityCadres: (search) => call<CadreSummary[]>("integrity_cadres", { search }),
    integrityFile: (cadre, purpose) => call<CadreFile>("integrity_file", { cadre, purpose }),
    integrityMatch: (cadre, record, step, note) => call<null>("integrity_match", { cadre, record, step, note }),
    integrityUnits: () => call<UnitRow[]>("integrity_units"),
    integrityUnitRegister: (form) => call<string>("integrity_unit_register", { form }),
    opinionList: () => call<OpinionRow[]>("opinion_list"),
    opinionRegister: (form) => call<string>("opinion_register", { form }),
    opinionPage: (id) => call<OpinionPage>("opinion_page", { id }),
    opinionStep: (id, form) => call<OpinionPage>("opinion_step", { id, form }),
    letterList: () => call<LetterRow[]>("letter_list"),
    letterPage: (id) => call<LetterDetail>("letter_page", { id }),
    letterRegister: (form) => call<LetterDetail>("letter_register", { form }),
    letterStep: (id, form) => call<LetterDetail>("letter_step", { id, form }),
    circularList: () => call<CircularRow[]>("circular_list"),
    circularDraft: (form) => call<string>("circular_draft", { form }),
    supervisionStats: (from, to) => call<SupervisionStats>("supervision_stats", { from, to }),
    catalogueCurrent: () => call<CatalogueView>("catalogue_current"),
    analysisPreview: (request) => call<AnalysisPreview>("analysis_preview", { request }),
    analysisSave: (request, format) => call<string | null>("analysis_save", { request, format }),
    noticeForm: (kind, record, fields) => call<NoticeForm>("notice_form", { kind, record, fields }),
    noticePreview: (kind, record, fields) => call<NoticePreview>("notice_preview", { kind, record, fields }),
    noticeIssue: (kind, record, fields) => call<IssuedDocument>("notice_issue", { kind, record, fields }),
    noticePages: (id) => call<string[]>("notice_pages", { id }),
    noticePrint: (id, printer) => call<string>("notice_print", { id, printer }),
    noticeSavePdf: (id) => call<string | null>("notice_save_pdf", { id }),
    noticePrinters: () => call<PrinterView[]>("notice_printers"),
    noticePrintStatus: (job) => call<PrintStatusView>("notice_print_status", { job }),
    noticeRegister: (filter) => call<IssuedDocument[]>("notice_register", { filter }),
    noticeTemplates: () => call<TemplateView[]>("notice_templates"),
    noticeTemplateSave: (source) => call<TemplateView>("notice_template_save", { source }),
    noticeTemplateForm: (kind, version) => call<TemplateEditor>("notice_template_form", { kind, version }),
    noticeTemplatePreview: (form) => call<NoticePreview>("notice_template_preview", { form }),
    noticeTemplateSaveForm: (form) => call<TemplateView>("notice_template_save_form", { form }),
    noticeTemplateExport: (kind, version) => call<string | null>("notice_template_export", { kind, version }),
    noticeTemplateImport: () => call<TemplateForm | null>("notice_template_import"),
    syncStatus: () => call<SyncStatus>("sync_status"),
    syncConflicts: () => call<ConflictItem[]>("sync_conflicts"),
    conflictResolve: (eventId, resolution, note) =>
      call<ConflictItem[]>("conflict_resolve", { eventId, resolution, note }),
    syncNow: () => call<SyncReport>("sync_now"),
    syncEnroll: (hubUrl, token) => call<SyncStatus>("sync_enroll", { hubUrl, token }),
    bundleExport: (path) => call<BundleReport>("bundle_export", { path }),
    bundleImport: (path) => call<BundleReport>("bundle_import", { path }),
    recoveryStatus: () => call<RecoveryStatus>("recovery_status"),
    recoveryMake: (replace) => call<RecoveryCodeView>("recovery_make", { replace }),
    recoverySheetPrint: (printer) => call<string>("recovery_sheet_print", { printer }),
    recoverySheetSave: () => call<string>("recovery_sheet_save"),
    recoverySheetForget: () => call<null>("recovery_sheet_forget"),
    backupSettingsSave: (req) => call<RecoveryStatus>("backup_settings_save", { req }),
    backupNow: () => call<BackupReport>("backup_now"),
    backupList: () => call<ListedBackup[]>("backup_list"),
    startupState: () => call<StartupView>("startup_state"),
    recoveryUnlock: (code) => call<null>("recovery_unlock", { code }),
    restorePreview: (file, code, office) => call<RestorePreview>("restore_preview", { file, code, office }),
    restoreBackup: (file, code, office, confirmed) =>
      call<RestoreReport>("restore_backup", { file, code, office, confirmed }),
    restoreHubNotice: () => call<string>("restore_hub_notice"),
    restoreHub: (hubUrl, token, office, code) => call<HubRestoreReport>("restore_hub", { hubUrl, token, office, code }),
    bundlePickSave: () => call<string | null>("bundle_pick_save"),
    bundlePickOpen: () => call<string | null>("bundle_pick_open"),
    enrollmentRequestSave: () => call<string | null>("enrollment_request_save"),
    enrollmentCertificateInstall: () => call<SyncStatus | null>("enrollment_certificate_install"),
    usersList: () => call<UserView[]>("users_list"),
    userAdd: (form) => call<UserView>("user_add", { form }),
    userSetRole: (username, role, granted) => call<UserView>("user_set_role", { username, role, granted }),
    userSetActive: (username, active) => call<UserView>("user_set_active", { username, active }),
    userSetPassword: (username, password) => call<UserView>("user_set_password", { username, password }),
    roleRequests: () => call<RoleRequestView[]>("role_requests"),
    roleRequestDecide: (id, approve, comment) => call<RoleRequestView>("role_request_decide", { id, approve, comment }),
    worklist: (filter) => call<Worklist>("worklist", { filter }),
    quarterlyReportSubmit: (form) => call<null>("quarterly_report_submit", { form }),
    markReady: async () => {
      try {
        await invoke("mark_ready");
      } catch {
        // Only a benchmark hook: failures do not concern the user.
      }
    },
  };
}

let defaultApi: Api | null = null;

/** The real API, bound to Tauri's invoke; created on first use. */
export function getDefaultApi(): Api {
  defaultApi ??= createApi();
  return defaultApi;
}

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  return useContext(ApiContext) ?? getDefaultApi();
}
