// A complaint's page: what it is, its deadlines, its history, and the steps the viewer may take.
import { ArrowLeftOutlined, EyeOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from "antd";
import type { DescriptionsProps } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { ApprovalView, ComplaintDetail, DeadlineView, Subject, TimelineEntry } from "../../bindings";
import {
  ACCUSATION_LABELS,
  ACTION_DONE,
  ACTION_LABELS,
  APPROVAL_STATUS_LABELS,
  DEADLINE_KIND_LABELS,
  DISPOSAL_LABELS,
  OUTCOME_LABELS,
  PROVISIONAL_DEADLINE_LABEL,
  REFER_TO_LABELS,
  VERIFICATION_LABELS,
  countdownText,
  labelOf,
  roleLabel,
} from "../../labels";
import { ActionModal } from "./ActionModal";
import { AttachmentsCard } from "./AttachmentsCard";
import type { ModalKind } from "./ActionModal";
import { LightTag, StatusTag, channelLabel } from "./common";
import { useNav } from "./nav";
import { RevealReporterModal } from "./RevealReporterModal";
import { CitationsCard } from "../library/Citations";
import { NoticeButton } from "../notices/NoticeButton";

const APPROVAL_COLORS: Record<string, string> = { pending: "gold", granted: "green", refused: "red" };

export function DeadlineRow({ d }: { d: DeadlineView }) {
  const closed = d.status === "done" || d.status === "cancelled";
  return (
    <div className={`qf-deadline${closed ? " qf-deadline-closed" : ""}`} data-testid="deadline-row" data-light={d.light}>
      <div className="qf-deadline-line">
        <LightTag light={d.light} />
        <span className="qf-deadline-label">{labelOf(DEADLINE_KIND_LABELS, d.kind) || d.label}</span>
        <span className="qf-deadline-due">到期 {d.due}</span>
        {/* A closed deadline's tag already says 已完成 or 已取消; the line says when instead. */}
        <span className={`qf-countdown qf-countdown-${d.light}`} data-testid="deadline-countdown">
          {closed && d.closed_date ? `${d.status === "done" ? "完成" : "取消"}于 ${d.closed_date}` : countdownText(d)}
        </span>
      </div>
      <div className="qf-deadline-basis">
        {d.basis}
        {d.provisional && (
          <Tag color="warning" className="qf-provisional" data-testid="deadline-provisional">
            {PROVISIONAL_DEADLINE_LABEL}
          </Tag>
        )}
      </div>
    </div>
  );
}

function ApprovalItem({ a }: { a: ApprovalView }) {
  return (
    <div className="qf-approval" data-testid="approval-row">
      <div className="qf-approval-line">
        <span className="qf-approval-action">{a.action}</span>
        <Tag color={APPROVAL_COLORS[a.status] ?? "default"}>{APPROVAL_STATUS_LABELS[a.status] ?? a.status}</Tag>
      </div>
      <div className="qf-approval-meta">
        {a.requested_by} 提请 · {a.requested_at}
      </div>
      <div className="qf-pre">{a.reason}</div>
      {a.decided_by && (
        <div className="qf-approval-decision">
          {a.upper_office ? `${a.upper_office} ` : ""}
          {a.decided_by}：{a.comment || (a.status === "granted" ? "同意" : "")}
        </div>
      )}
    </div>
  );
}

function timelineColor(e: TimelineEntry): string {
  if (e.kind.includes("identity_viewed")) return "orange";
  if (e.kind.includes("concluded")) return "green";
  if (e.kind.includes("approval")) return "purple";
  return "blue";
}

const SUBJECT_COLUMNS = [
  { key: "name", title: "姓名", dataIndex: "name", width: 96 },
  { key: "post", title: "职务", dataIndex: "post" },
  { key: "unit", title: "单位", dataIndex: "unit" },
  { key: "level", title: "干部管理层级", dataIndex: "level", width: 120 },
];

export function ComplaintPage({ id, initial }: { id: string; initial?: ComplaintDetail }) {
  const api = useApi();
  const nav = useNav();
  const { message } = App.useApp();
  const [detail, setDetail] = useState<ComplaintDetail | null>(initial ?? null);
  const [error, setError] = useState<string | null>(null);
  const [modal, setModal] = useState<ModalKind | null>(null);
  const [revealing, setRevealing] = useState(false);
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const load = useCallback(() => {
    setError(null);
    api.complaintShow(id).then(
      (d) => live.current && setDetail(d),
      (e: unknown) => live.current && setError(errorMessage(e)),
    );
  }, [api, id]);

  useEffect(() => {
    if (!initial) load();
  }, [initial, load]);

  if (!detail) {
    return (
      <div className="qf-page" data-testid="page-complaint">
        {error ? (
          <Alert
            type="error"
            showIcon
            message={error}
            action={
              <Space>
                <Button size="small" onClick={load}>
                  重试
                </Button>
                <Button size="small" onClick={nav.back}>
                  返回
                </Button>
              </Space>
            }
          />
        ) : (
          <Skeleton active />
        )}
      </div>
    );
  }

  const s = detail.summary;
  const can = (k: string) => (detail.actions as string[]).includes(k);
  // The core's allowed steps, in its order; revealing the reporter has its own control beside the name.
  const buttons = detail.actions.filter((k): k is ModalKind => k !== "reveal_reporter");

  function done(next: ComplaintDetail, kind: ModalKind) {
    setDetail(next);
    setModal(null);
    message.success(ACTION_DONE[kind]);
  }

  const reporter = (
    <Space size={8} wrap>
      <span data-testid="complaint-reporter">
        {s.reporter_display}
        {detail.real_name_verified && `（${labelOf(VERIFICATION_LABELS, detail.real_name_verified)}）`}
      </span>
      {can("reveal_reporter") && (
        <Button
          size="small"
          icon={<EyeOutlined />}
          data-testid="action-reveal_reporter"
          onClick={() => setRevealing(true)}
        >
          {ACTION_LABELS.reveal_reporter}
        </Button>
      )}
    </Space>
  );

  const basics: DescriptionsProps["items"] = [
    { key: "channel", label: "渠道", children: channelLabel(s.channel) },
    { key: "received", label: "收到日期", children: s.received_date },
    { key: "department", label: "承办部门", children: s.department ? roleLabel(s.department) : "—" },
    { key: "reporter", label: "检举人", span: 3, children: reporter },
    {
      key: "categories",
      label: "问题类别",
      span: 3,
      children:
        detail.categories.length > 0 ? (
          <Space size={[0, 4]} wrap data-testid="complaint-categories">
            {detail.categories.map((c) => (
              <Tag key={c}>{c}</Tag>
            ))}
          </Space>
        ) : (
          "—"
        ),
    },
  ];

  const handling: NonNullable<DescriptionsProps["items"]> = [];
  if (detail.outcome === "assign")
    handling.push({ key: "outcome", label: "交办", children: `经领导批准交办下级机关 ${detail.refer_to_name ?? detail.refer_to ?? ""}` });
  else if (detail.outcome === "lateral")
    handling.push({ key: "outcome", label: "平级移交", children: `经领导批准平级移交 ${detail.refer_to_name ?? detail.refer_to ?? ""}` });
  else if (detail.outcome)
    handling.push({ key: "outcome", label: "筛选结果", children: labelOf(OUTCOME_LABELS, detail.outcome) });
  if (detail.outcome_note)
    handling.push({ key: "note", label: "筛选理由", children: <span className="qf-pre">{detail.outcome_note}</span> });
  if (detail.refer_to && detail.outcome !== "assign" && detail.outcome !== "lateral") {
    const label = (detail.outcome && REFER_TO_LABELS[detail.outcome as keyof typeof REFER_TO_LABELS]) || "去向";
    handling.push({ key: "refer", label: label.replace(/（.*）/, ""), children: detail.refer_to_name ?? detail.refer_to });
  }
  if (detail.repeat_of) {
    const earlier = detail.repeat_of;
    handling.push({
      key: "repeat",
      label: "重复举报",
      children: (
        <Button
          type="link"
          size="small"
          className="qf-link-inline"
          data-testid="complaint-repeat-of"
          onClick={() => nav.go({ page: "complaint", id: earlier })}
        >
          查看所重复的检举控告
        </Button>
      ),
    });
  }
  if (detail.disposal)
    handling.push({ key: "disposal", label: "处置方式", children: labelOf(DISPOSAL_LABELS, detail.disposal) });
  if (detail.result)
    handling.push({ key: "result", label: "办理结果", children: <span className="qf-pre">{detail.result}</span> });
  if (detail.accusation)
    handling.push({ key: "accusation", label: "认定", children: labelOf(ACCUSATION_LABELS, detail.accusation) });
  if (detail.clearance) handling.push({ key: "clearance", label: "澄清正名", children: "已为被反映人澄清正名" });

  const open = detail.deadlines.filter((d) => d.status === "open").length;
  const notices = detail.notices;

  return (
    <div className="qf-page qf-complaint" data-testid="page-complaint">
      <div className="qf-page-head">
        <div className="qf-page-head-title">
          <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={nav.back} aria-label="返回" />
          <Typography.Title level={4}>
            <span data-testid="complaint-number" className="qf-number">
              {s.number}
            </span>
          </Typography.Title>
          <StatusTag status={s.status} label={s.status_label} testId="complaint-status" />
          {s.real_name && <Tag color="blue">实名</Tag>}
          {s.anonymous && <Tag>匿名</Tag>}
          <Typography.Text className="qf-complaint-summary" ellipsis={{ tooltip: s.summary }}>
            {s.summary}
          </Typography.Text>
        </div>
      </div>

      {error && <Alert type="error" showIcon message={error} className="qf-block-alert" />}
      {detail.conflicts.some((c) => c.status === "open") && (
        <Alert
          type="warning"
          showIcon
          className="qf-block-alert"
          data-testid="complaint-conflicts"
          message="此件有移交后由原机关办理的步骤，未生效，待现办理机关分管领导在“同步”页处理："
          description={detail.conflicts
            .filter((c) => c.status === "open")
            .map((c) => `${c.office} ${c.actor} ${c.time}：${c.step}`)
            .join("；")}
        />
      )}
      {!detail.handled_here && (
        <Alert
          type="info"
          showIcon
          className="qf-block-alert"
          data-testid="complaint-owner"
          message={`此件现由${detail.owner.name}办理，本机关存档备查。`}
        />
      )}

      <div className="qf-actions" data-testid="complaint-actions">
        <span className="qf-actions-label">操作</span>
        {buttons.length > 0 ? (
          <Space size={8} wrap>
            {buttons.map((k, i) => (
              <Button
                key={k}
                type={i === 0 ? "primary" : "default"}
                data-testid={`action-${k}`}
                onClick={() => setModal(k)}
              >
                {ACTION_LABELS[k]}
              </Button>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">当前没有需要您办理的事项</Typography.Text>
        )}
      </div>

      {notices.length > 0 && (
        <div className="qf-actions" data-testid="complaint-notices">
          <span className="qf-actions-label">文书</span>
          <Space size={8} wrap>
            {notices.map((k) => (
              <NoticeButton key={k} kind={k} record={{ kind: "complaint", id: detail.summary.id }} onIssued={load} />
            ))}
          </Space>
        </div>
      )}

      <Row gutter={16}>
        <Col span={15}>
          <Card size="small" className="qf-section" title="基本情况">
            <Descriptions size="small" column={3} colon={false} items={basics} className="qf-basics" />
          </Card>
          <Card size="small" className="qf-section" title="被反映人">
            <Table<Subject>
              size="small"
              rowKey={(r) => `${r.name}|${r.unit}|${r.post}`}
              columns={SUBJECT_COLUMNS}
              dataSource={detail.subject_details}
              pagination={false}
              data-testid="complaint-subjects"
              locale={{ emptyText: "无" }}
            />
          </Card>
          <Card size="small" className="qf-section" title="检举控告内容">
            <div className="qf-pre qf-content" data-testid="complaint-content">
              {detail.content}
            </div>
          </Card>
          {handling.length > 0 && (
            <Card size="small" className="qf-section" title="办理情况" data-testid="complaint-handling">
              <Descriptions size="small" column={1} colon={false} items={handling} styles={{ label: { width: 88 } }} />
            </Card>
          )}
          <AttachmentsCard detail={detail} onChange={setDetail} />
        </Col>
        <Col span={9}>
          <Card
            size="small"
            className="qf-section"
            title={`期限${open ? `（${open} 项未完成）` : ""}`}
            data-testid="complaint-deadlines"
          >
            {detail.deadlines.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无期限要求" />
            ) : (
              detail.deadlines.map((d) => <DeadlineRow key={d.id} d={d} />)
            )}
          </Card>
          {detail.approvals.length > 0 && (
            <Card size="small" className="qf-section" title="审批" data-testid="complaint-approvals">
              {detail.approvals.map((a) => (
                <ApprovalItem key={a.id} a={a} />
              ))}
            </Card>
          )}
          <CitationsCard record={`complaint:${detail.summary.id}`} />
          <Card size="small" className="qf-section" title="时间线">
            <div data-testid="complaint-timeline">
              <Timeline
                className="qf-timeline"
                items={detail.timeline.map((e) => ({
                  key: String(e.seq),
                  color: timelineColor(e),
                  children: (
                    <div data-testid="timeline-entry">
                      <div className="qf-tl-meta">
                        {e.time} · {e.actor}
                      </div>
                      <div className="qf-tl-text">{e.text}</div>
                    </div>
                  ),
                }))}
              />
            </div>
          </Card>
        </Col>
      </Row>

      {modal && <ActionModal kind={modal} detail={detail} onClose={() => setModal(null)} onDone={done} />}
      {revealing && (
        <RevealReporterModal
          complaintId={s.id}
          number={s.number}
          onClose={() => setRevealing(false)}
          onViewed={load}
        />
      )}
    </div>
  );
}
