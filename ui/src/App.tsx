import { Alert, Button, ConfigProvider, Spin, App as AntApp } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiContext, errorMessage, getDefaultApi, useApi } from "./api";
import type { Api } from "./api";
import type { AppStatus, SessionView, StartupView } from "./bindings";
import { HomeScreen } from "./screens/HomeScreen";
import { LoginScreen } from "./screens/LoginScreen";
import { SetupScreen } from "./screens/SetupScreen";
import { FirstRecoveryCode } from "./screens/recovery/FirstRecoveryCode";
import { RestoreScreen } from "./screens/recovery/RestoreScreen";
import { BUTTON_CONFIG, LOCALE, theme } from "./theme";

type Phase =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  // The database cannot be opened (its key is lost) or the user chose to restore instead of
  // setting up a new office.
  | { kind: "recover"; startup: StartupView | null; fromSetup: boolean }
  // Just set up: the recovery code is shown once before the home screen.
  | { kind: "recovery-code"; session: SessionView }
  | { kind: "ready"; status: AppStatus; session: SessionView | null };

/** Picks setup, login or home from the backend's state. */
export function Shell() {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const readySent = useRef(false);

  useEffect(() => {
    let live = true;
    setPhase({ kind: "loading" });
    api.appStatus().then(
      (status) => live && setPhase({ kind: "ready", status, session: null }),
      async (e: unknown) => {
        // A database whose key is lost is not a dead end: offer the ways back.
        const startup = await api.startupState().catch(() => null);
        if (!live) return;
        if (startup?.key_missing) setPhase({ kind: "recover", startup, fromSetup: false });
        else setPhase({ kind: "failed", message: errorMessage(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [api, attempt]);

  // Once the first real screen (setup or login) is on screen, tell the backend.
  const firstScreenShown = phase.kind === "ready" || phase.kind === "recover";
  useEffect(() => {
    if (!firstScreenShown || readySent.current) return;
    readySent.current = true;
    const send = () => void api.markReady();
    if (typeof window.requestAnimationFrame === "function") {
      window.requestAnimationFrame(() => setTimeout(send, 0));
    } else {
      setTimeout(send, 0);
    }
  }, [api, firstScreenShown]);

  const signedIn = useCallback((session: SessionView) => {
    setPhase({
      kind: "ready",
      status: { initialized: true, office: session.office, db_path: "" },
      session,
    });
  }, []);

  const signedOut = useCallback(() => {
    setPhase((p) => (p.kind === "ready" ? { ...p, session: null } : p));
  }, []);

  switch (phase.kind) {
    case "loading":
      return (
        <div className="qf-center-page" data-testid="app-loading">
          <Spin size="large" />
        </div>
      );
    case "failed":
      return (
        <div className="qf-center-page">
          <Alert
            type="error"
            showIcon
            message="无法读取本机状态"
            description={phase.message}
            action={
              <Button size="small" onClick={() => setAttempt((n) => n + 1)}>
                重试
              </Button>
            }
          />
        </div>
      );
    case "recover":
      return (
        <RestoreScreen
          startup={phase.startup}
          onRestored={() => setAttempt((n) => n + 1)}
          onBack={phase.fromSetup ? () => setAttempt((n) => n + 1) : undefined}
        />
      );
    case "recovery-code":
      return <FirstRecoveryCode onDone={() => signedIn(phase.session)} />;
    case "ready":
      if (phase.session) return <HomeScreen session={phase.session} onLogout={signedOut} />;
      if (!phase.status.initialized)
        return (
          <SetupScreen
            onDone={(session) => setPhase({ kind: "recovery-code", session })}
            onRestore={() =>
              void api
                .startupState()
                .catch(() => null)
                .then((startup) => setPhase({ kind: "recover", startup, fromSetup: true }))
            }
          />
        );
      return <LoginScreen office={phase.status.office} onDone={signedIn} />;
  }
}

/** Root component. Tests pass their own `api`; the app uses Tauri's invoke. */
export default function App({ api }: { api?: Api }) {
  return (
    <ConfigProvider locale={LOCALE} theme={theme} button={BUTTON_CONFIG}>
      <AntApp>
        <ApiContext.Provider value={api ?? getDefaultApi()}>
          <Shell />
        </ApiContext.Provider>
      </AntApp>
    </ConfigProvider>
  );
}
