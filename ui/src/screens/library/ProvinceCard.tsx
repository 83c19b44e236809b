// 省级发布: the regulations and templates the provincial hub published, as this office received
// them. New ones since the officer last looked are marked 新到 (and marked seen once shown); a
// template shows the province's version beside the office's own in force, and the administrator
// may adopt the newest province version as the office's next one (the office's own is kept).
import { Alert, App, Button, Card, List, Popconfirm, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { errorMessage, useApi } from "../../api";
import type { ContentKind, ProvinceItem } from "../../bindings";

export const CONTENT_LABELS: Record<ContentKind, string> = {
  regulation: "法规制度",
  notice_template: "文书模板",
  checklist_template: "执行事项清单模板",
};

/** What the office does with a province version, in words. */
export function stateOf(i: ProvinceItem): { text: string; color: string } {
  if (i.refused) return { text: `本机无法使用：${i.refused}`, color: "red" };
  if (i.adopted_as !== null) return { text: `已采用为本机关第 ${i.adopted_as} 版`, color: "green" };
  if (i.kind === "regulation") return { text: "已列入资料袋", color: "green" };
  if (i.adoptable) {
    const own = i.office_version === null ? "本机关尚未使用此模板" : `本机关现用第 ${i.office_version} 版`;
    return { text: `省级有新版本，${own}`, color: "orange" };
  }
  return { text: "已有更新的省级版本", color: "default" };
}

export function ProvinceCard({
  kinds,
  admin,
  onAdopted,
}: {
  /** Only these kinds (the library shows all; a template screen its own kind). */
  kinds?: ContentKind[];
  admin: boolean;
  /** Called with the template's id and the office's new version number. */
  onAdopted?: (id: string, version: number) => void;
}) {
  const api = useApi();
  const { message } = App.useApp();
  const [items, setItems] = useState<ProvinceItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    api.provinceContent().then(
      (all) => {
        if (!live) return;
        setItems(all.filter((i) => !kinds || kinds.includes(i.kind)));
        // Shown once, no longer new for this officer; the marks stay on screen until the next visit.
        if (all.some((i) => i.new)) void api.provinceMarkSeen().catch(() => undefined);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
    // `kinds` is a constant of the screen that shows the card, so it is not a dependency.
  }, [api, reload]);

  async function adopt(i: ProvinceItem) {
    const key = `${i.kind}/${i.id}/${i.version}`;
    setBusy(key);
    setError(null);
    try {
      const n = await api.provinceAdopt(i.kind, i.id, i.version);
      void message.success(`已采用省级第 ${i.version} 版，作为本机关第 ${n} 版`);
      setReload((r) => r + 1);
      onAdopted?.(i.id, n);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  if (items !== null && items.length === 0 && !error) return null;
  const fresh = items?.filter((i) => i.new).length ?? 0;
  return (
    <Card
      size="small"
      className="qf-card"
      data-testid="province-content"
      title={
        <Space>
          省级平台发布
          {fresh > 0 && <Tag color="red" data-testid="province-new-total">新到 {fresh} 件</Tag>}
        </Space>
      }
    >
      {error && <Alert type="error" showIcon className="qf-form-alert" message={error} data-testid="province-error" />}
      <List
        loading={items === null}
        dataSource={items ?? []}
        renderItem={(i) => {
          const state = stateOf(i);
          const key = `${i.kind}/${i.id}/${i.version}`;
          return (
            <List.Item
              key={key}
              data-testid="province-item"
              data-kind={i.kind}
              actions={
                admin && i.adoptable
                  ? [
                      <Popconfirm
                        key="adopt"
                        title={`采用省级第 ${i.version} 版？`}
                        description="将作为本机关的新版本，即日起使用；本机关原有版本保留。"
                        okText="采用"
                        cancelText="取消"
                        okButtonProps={{ "data-testid": "province-adopt-confirm" } as Record<string, string>}
                        onConfirm={() => void adopt(i)}
                      >
                        <Button size="small" type="primary" loading={busy === key} data-testid="province-adopt">
                          采用省级版本
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Space wrap>
                {i.new && <Tag color="red" data-testid="province-new">新到</Tag>}
                <Tag color="blue">{CONTENT_LABELS[i.kind]}</Tag>
                <span>
                  《{i.title}》省级第 {i.version} 版
                </span>
                <Tag color={state.color} data-testid="province-state">
                  {state.text}
                </Tag>
                <Typography.Text type="secondary">收到于 {beijingDay(i.received_at)}</Typography.Text>
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

/** A received moment as its Beijing date (the officer's calendar, whatever the machine's zone). */
function beijingDay(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return at.slice(0, 10);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}
