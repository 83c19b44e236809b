// 登记检举控告: fast keyboard entry as letters arrive, with a check for repeats before saving.
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { errorMessage, useApi } from "../../api";
import {
  MAX_ADDRESS_CHARS,
  MAX_CONTACT_CHARS,
  MAX_CONTENT_CHARS,
  MAX_PERSON_NAME_CHARS,
  MAX_POST_CHARS,
  MAX_UNIT_CHARS,
} from "../../limits";
import type { ComplaintChannel, RegisterComplaint, SimilarComplaint } from "../../bindings";
import { CATEGORY_SUGGESTIONS, CHANNEL_OPTIONS, SUBJECT_LEVELS, VERIFICATION_OPTIONS } from "../../labels";
import { DATE_FORMAT, PageHead, StatusTag, beijingToday, isFuture, isoDate, testOption, textOrNull } from "./common";
import { useNav } from "./nav";

type SubjectValues = { name?: string; post?: string; unit?: string; level?: string | null };

export type RegisterValues = {
  channel: ComplaintChannel;
  received: Dayjs | null;
  anonymous: boolean;
  name?: string;
  unit?: string;
  contact?: string;
  address?: string;
  real_name: boolean;
  verified: "none" | "phone" | "in_person";
  summary?: string;
  content?: string;
  categories: string[];
  subjects: SubjectValues[];
};

export const MAX_SUMMARY = 100;
export const MSG = {
  date: "请选择收到日期",
  future: "收到日期不能晚于今天",
  realName: "实名检举须填写检举人姓名",
  realContact: "实名检举须填写联系方式",
  summary: "请填写摘要（事由）",
  content: "请填写检举控告内容",
  subjects: "请至少填写一名被反映人（姓名或单位）",
  subjectRow: "请填写姓名或单位",
} as const;

/** Debounce for the repeat check after leaving a field. */
const SIMILAR_DELAY_MS = 400;

const LEVEL_OPTIONS = SUBJECT_LEVELS.map((l) => ({ value: l, label: l }));
const CATEGORY_OPTIONS = CATEGORY_SUGGESTIONS.map((c) => ({ value: c, label: c }));

function initialValues(): RegisterValues {
  return {
    channel: "letter",
    received: beijingToday(),
    anonymous: false,
    real_name: false,
    verified: "none",
    categories: [],
    subjects: [{}],
  };
}

const trim = (s: string | null | undefined) => (s ?? "").trim();

function filledSubject(s: SubjectValues | undefined): boolean {
  return !!s && (trim(s.name) !== "" || trim(s.unit) !== "" || trim(s.post) !== "");
}

/** The command's form from what was entered: trimmed, empty rows dropped, anonymous → no reporter. */
export function toRegisterForm(v: RegisterValues, repeatOf: string | null): RegisterComplaint {
  // A signed complaint with nothing about the reporter filled in carries no reporter at all.
  const blank = [v.name, v.unit, v.contact, v.address].every((x) => trim(x) === "");
  const anonymous = v.anonymous === true || (blank && v.real_name !== true);
  const realName = !anonymous && v.real_name === true;
  const seen = new Set<string>();
  const categories = (v.categories ?? [])
    .map((c) => c.trim())
    .filter((c) => c !== "" && !seen.has(c) && (seen.add(c), true));
  return {
    channel: v.channel,
    received_at: isoDate(v.received),
    reporter: anonymous
      ? null
      : {
          name: trim(v.name),
          unit: textOrNull(v.unit),
          contact: trim(v.contact),
          address: textOrNull(v.address),
        },
    real_name: realName,
    real_name_verified: realName && v.verified !== "none" ? v.verified : null,
    summary: trim(v.summary),
    content: trim(v.content),
    categories,
    subjects: (v.subjects ?? []).filter(filledSubject).map((s) => ({
      name: trim(s.name),
      post: trim(s.post),
      unit: trim(s.unit),
      level: trim(s.level),
    })),
    repeat_of: repeatOf,
  };
}

/** Whether the form has anything a repeat could be recognised by. */
function worthChecking(f: RegisterComplaint): boolean {
  return f.summary !== "" || f.subjects.length > 0 || (f.reporter?.contact ?? "") !== "";
}

export function RegisterScreen() {
  const api = useApi();
  const nav = useNav();
  const { message } = App.useApp();
  const [form] = Form.useForm<RegisterValues>();
  const anonymous = Form.useWatch("anonymous", form) ?? false;
  const realName = Form.useWatch("real_name", form) ?? false;
  const [similar, setSimilar] = useState<SimilarComplaint[]>([]);
  /** True when the panel was raised by 登记: the officer has to choose. */
  const [gate, setGate] = useState(false);
  const [repeatOf, setRepeatOf] = useState<SimilarComplaint | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const checkSeq = useRef(0);
  const panelRef = useRef<HTMLDivElement>(null);
  const live = useRef(true);
  /** Set when the officer adds a row, so that its first field takes the cursor. */
  const added = useRef(false);
  /** The categories of the key-problem catalogue in force (重点问题目录); until it is read, the
   * built-in names are offered. */
  const [categoryOptions, setCategoryOptions] = useState<Array<{ value: string; label: string }>>(CATEGORY_OPTIONS);

  useEffect(() => {
    api
      .catalogueCurrent()
      .then((c) => setCategoryOptions(c.categories.map((x) => ({ value: x.name, label: x.parent ? `　${x.name}` : x.name }))))
      .catch(() => undefined);
  }, [api]);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  const current = () => toRegisterForm(form.getFieldsValue(true) as RegisterValues, null);

  /** Asks the backend for earlier complaints like this one; the latest question wins. */
  async function findSimilar(f: RegisterComplaint): Promise<SimilarComplaint[] | null> {
    const mine = ++checkSeq.current;
    const found = worthChecking(f) ? await api.complaintSimilar({ ...f, repeat_of: null }) : [];
    if (!live.current || mine !== checkSeq.current) return null;
    setSimilar(found);
    return found;
  }

  function scheduleCheck() {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      findSimilar(current()).catch(() => {
        // A failed background check is not worth interrupting the typing for; submit checks again.
      });
    }, SIMILAR_DELAY_MS);
  }

  async function submit(mode: "check" | "force" | { link: SimilarComplaint }) {
    if (submitting) return;
    const link = typeof mode === "object" ? mode.link : mode === "force" ? null : repeatOf;
    if (typeof mode === "object") setRepeatOf(mode.link);
    if (mode === "force") setRepeatOf(null);
    setError(null);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const payload = toRegisterForm(form.getFieldsValue(true) as RegisterValues, link?.complaint.id ?? null);
    setSubmitting(true);
    if (mode === "check" && !link) {
      if (timer.current) {
        clearTimeout(timer.current);
        timer.current = null;
      }
      let found: SimilarComplaint[] | null = [];
      try {
        found = await findSimilar(payload);
      } catch (e) {
        message.warning(`未能检查是否重复举报：${errorMessage(e)}`);
      }
      if (!live.current) return;
      if (found && found.length > 0) {
        setGate(true);
        setSubmitting(false);
        setTimeout(() => panelRef.current?.scrollIntoView?.({ block: "nearest" }), 0);
        return;
      }
    }
    try {
      const detail = await api.complaintRegister(payload);
      if (!live.current) return;
      message.success(`已登记，编号 ${detail.summary.number}`);
      nav.go({ page: "complaint", id: detail.summary.id, initial: detail });
    } catch (e) {
      if (!live.current) return;
      setError(errorMessage(e));
      setSubmitting(false);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit("check");
    }
  }

  const reporterRule = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator: async () => {
      if (getFieldValue("anonymous")) return;
      if (getFieldValue("real_name") && !trim(getFieldValue("name") as string)) throw new Error(MSG.realName);
    },
  });

  return (
    <div className="qf-page qf-register" data-testid="page-register" onKeyDown={onKeyDown}>
      <PageHead title="登记检举控告" sub="带 * 为必填项；按 Ctrl+Enter 登记" />
      <Form<RegisterValues>
        form={form}
        initialValues={initialValues()}
        labelCol={{ flex: "80px" }}
        wrapperCol={{ flex: "1 1 0" }}
        labelWrap
        colon={false}
        className="qf-compact-form"
        onValuesChange={(changed: Partial<RegisterValues>) => {
          if (error) setError(null);
          if (changed.anonymous) form.setFieldsValue({ real_name: false, verified: "none" });
          if (changed.real_name === false) form.setFieldValue("verified", "none");
        }}
      >
        <Row gutter={16}>
          <Col span={11}>
            <Card size="small" title="来源与检举人" className="qf-card">
              <Form.Item name="channel" label="渠道" required>
                <Radio.Group>
                  {CHANNEL_OPTIONS.map((o) => (
                    <Radio key={o.value} value={o.value}>
                      <span data-testid={`reg-channel-${o.value}`}>{o.label}</span>
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Row gutter={12}>
                <Col span={14}>
                  <Form.Item
                    name="received"
                    label="收到日期"
                    rules={[
                      { required: true, message: MSG.date },
                      {
                        validator: async (_, d: Dayjs | null) => {
                          if (d && isFuture(d)) throw new Error(MSG.future);
                        },
                      },
                    ]}
                  >
                    <DatePicker
                      data-testid="reg-received-date"
                      format={DATE_FORMAT}
                      disabledDate={isFuture}
                      allowClear={false}
                      className="qf-full"
                    />
                  </Form.Item>
                </Col>
                <Col span={10}>
                  <Form.Item name="anonymous" label="匿名" valuePropName="checked" labelCol={{ flex: "48px" }}>
                    <Switch data-testid="reg-anonymous" checkedChildren="匿名" unCheckedChildren="署名" />
                  </Form.Item>
                </Col>
              </Row>
              {anonymous ? (
                <Typography.Paragraph type="secondary" className="qf-anon-note" data-testid="reg-anonymous-note">
                  匿名检举：不记录检举人信息，无受理告知和结果反馈期限。
                </Typography.Paragraph>
              ) : (
                <>
                  <Row gutter={12}>
                    <Col span={12}>
                      <Form.Item
                        name="name"
                        label="检举人"
                        dependencies={["real_name"]}
                        rules={[reporterRule]}
                      >
                        <Input data-testid="reg-reporter-name" placeholder="姓名" maxLength={MAX_PERSON_NAME_CHARS} autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="unit" label="单位" labelCol={{ flex: "48px" }}>
                        <Input data-testid="reg-reporter-unit" placeholder="工作单位" maxLength={MAX_UNIT_CHARS} autoComplete="off" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Row gutter={12}>
                    <Col span={12}>
                      <Form.Item
                        name="contact"
                        label="联系方式"
                        dependencies={["real_name"]}
                        rules={[
                          ({ getFieldValue }) => ({
                            validator: async (_, v: string | undefined) => {
                              if (getFieldValue("real_name") && !trim(v)) throw new Error(MSG.realContact);
                            },
                          }),
                        ]}
                      >
                        <Input
                          data-testid="reg-reporter-contact"
                          placeholder="电话等"
                          maxLength={MAX_CONTACT_CHARS}
                          autoComplete="off"
                          onBlur={scheduleCheck}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="address" label="地址" labelCol={{ flex: "48px" }}>
                        <Input data-testid="reg-reporter-address" maxLength={MAX_ADDRESS_CHARS} autoComplete="off" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Row gutter={12}>
                    <Col span={12}>
                      <Form.Item name="real_name" label="实名" valuePropName="checked">
                        <Checkbox>
                          <span data-testid="reg-real-name">实名检举</span>
                        </Checkbox>
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="verified" label="核实" labelCol={{ flex: "48px" }}>
                        <Select
                          data-testid="reg-verified"
                          options={VERIFICATION_OPTIONS}
                          optionRender={testOption}
                          disabled={!realName}
                        />
                      </Form.Item>
                    </Col>
                  </Row>
                </>
              )}
            </Card>
          </Col>
          <Col span={13}>
            <Card size="small" title="检举控告事项" className="qf-card">
              <Form.Item
                name="summary"
                label="摘要"
                rules={[
                  { required: true, whitespace: true, message: MSG.summary },
                  { max: MAX_SUMMARY, message: `摘要不能超过 ${MAX_SUMMARY} 个字` },
                ]}
              >
                <Input
                  data-testid="reg-summary"
                  placeholder="一句话概括所反映的问题"
                  maxLength={MAX_SUMMARY}
                  showCount
                  autoComplete="off"
                  onBlur={scheduleCheck}
                />
              </Form.Item>
              <Form.Item name="content" label="内容" rules={[{ required: true, whitespace: true, message: MSG.content }]}>
                <Input.TextArea
                  data-testid="reg-content"
                  autoSize={{ minRows: 6, maxRows: 6 }}
                  maxLength={MAX_CONTENT_CHARS}
                  placeholder="检举控告的主要内容"
                />
              </Form.Item>
              <Form.Item name="categories" label="问题类别">
                <Select
                  data-testid="reg-categories"
                  mode="multiple"
                  showSearch
                  options={categoryOptions}
                  optionRender={testOption}
                  placeholder="从重点问题目录中选择，可多选"
                />
              </Form.Item>
            </Card>
          </Col>
        </Row>

        <Card size="small" title="被反映人" className="qf-card qf-subjects" data-testid="reg-subjects">
          <Form.List
            name="subjects"
            rules={[
              {
                validator: async (_, rows: SubjectValues[] | undefined) => {
                  const ok = (rows ?? []).some((s) => trim(s?.name) !== "" || trim(s?.unit) !== "");
                  if (!ok) throw new Error(MSG.subjects);
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                <div className="qf-subject-head">
                  <span>姓名</span>
                  <span>职务</span>
                  <span>单位</span>
                  <span>干部管理层级</span>
                  <span />
                </div>
                {fields.map((field, i) => (
                  <div className="qf-subject-row" key={field.key} data-testid="reg-subject-row">
                    <Form.Item
                      name={[field.name, "name"]}
                      dependencies={[["subjects", field.name, "unit"], ["subjects", field.name, "post"]]}
                      rules={[
                        ({ getFieldValue }) => ({
                          validator: async (_, v: string | undefined) => {
                            const row = getFieldValue(["subjects", field.name]) as SubjectValues | undefined;
                            if (filledSubject(row) && !trim(v) && !trim(row?.unit)) throw new Error(MSG.subjectRow);
                          },
                        }),
                      ]}
                    >
                      <Input
                        autoFocus={added.current && i === fields.length - 1}
                        data-testid={`reg-subject-name-${i}`}
                        placeholder="姓名"
                        maxLength={MAX_PERSON_NAME_CHARS}
                        autoComplete="off"
                        onBlur={scheduleCheck}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, "post"]}>
                      <Input data-testid={`reg-subject-post-${i}`} placeholder="职务" maxLength={MAX_POST_CHARS} autoComplete="off" />
                    </Form.Item>
                    <Form.Item name={[field.name, "unit"]}>
                      <Input
                        data-testid={`reg-subject-unit-${i}`}
                        placeholder="单位"
                        maxLength={MAX_UNIT_CHARS}
                        autoComplete="off"
                        onBlur={scheduleCheck}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, "level"]}>
                      <Select
                        data-testid={`reg-subject-level-${i}`}
                        options={LEVEL_OPTIONS}
                        optionRender={testOption}
                        allowClear
                        placeholder="请选择"
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      aria-label="删除此被反映人"
                      icon={<MinusCircleOutlined />}
                      disabled={fields.length <= 1}
                      onClick={() => remove(field.name)}
                      tabIndex={-1}
                    />
                  </div>
                ))}
                <Form.ErrorList errors={errors} />
                <Button
                  type="dashed"
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => {
                    added.current = true;
                    add({});
                  }}
                  data-testid="reg-subject-add"
                  className="qf-subject-add"
                >
                  添加被反映人
                </Button>
              </>
            )}
          </Form.List>
        </Card>
      </Form>

      {similar.length > 0 && (
        <div ref={panelRef}>
          <Alert
            type="warning"
            showIcon
            className="qf-similar"
            data-testid="reg-similar"
            message={`可能是重复举报：找到 ${similar.length} 件相似的检举控告`}
            description={
              <div>
                {gate && (
                  <Typography.Paragraph className="qf-similar-lead">
                    请核对后选择：与其中一件是同一事项的，点“关联为重复”；不是的，点“仍然登记”。
                  </Typography.Paragraph>
                )}
                <ul className="qf-similar-list">
                  {similar.map((s) => (
                    <li key={s.complaint.id} data-testid="reg-similar-item">
                      <div className="qf-similar-main">
                        <span className="qf-number">{s.complaint.number}</span>
                        <span className="qf-similar-date">{s.complaint.received_date}</span>
                        <StatusTag status={s.complaint.status} label={s.complaint.status_label} />
                        <span className="qf-similar-summary">{s.complaint.summary}</span>
                      </div>
                      <div className="qf-similar-why">
                        {s.complaint.subjects.length > 0 && (
                          <Typography.Text type="secondary">被反映人：{s.complaint.subjects.join("、")}　</Typography.Text>
                        )}
                        {s.reasons.map((r) => (
                          <Tag key={r} color="orange">
                            {r}
                          </Tag>
                        ))}
                        <Button
                          size="small"
                          data-testid="reg-link-repeat"
                          onClick={() => void submit({ link: s })}
                          disabled={submitting}
                        >
                          关联为重复
                        </Button>
                      </div>
                    </li>
                  ))}
                </ul>
                <Button data-testid="reg-force-submit" onClick={() => void submit("force")} loading={submitting}>
                  仍然登记
                </Button>
              </div>
            }
          />
        </div>
      )}

      {error && (
        <div data-testid="reg-error" className="qf-block-alert">
          <Alert type="error" showIcon message={error} />
        </div>
      )}

      <div className="qf-submit-bar">
        <Space>
          <Button
            type="primary"
            data-testid="reg-submit"
            onClick={() => void submit("check")}
            loading={submitting}
          >
            登记
          </Button>
          {repeatOf && (
            <Tag closable color="orange" onClose={() => setRepeatOf(null)} data-testid="reg-repeat-of">
              关联为重复：{repeatOf.complaint.number}
            </Tag>
          )}
        </Space>
      </div>
    </div>
  );
}
