import { render } from "@testing-library/react";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import type { ReactElement } from "react";
import { ApiContext } from "../api";
import type { Api } from "../api";
import { BUTTON_CONFIG, theme } from "../theme";

export function renderWithApi(ui: ReactElement, api: Api) {
  return render(
    <ConfigProvider locale={zhCN} theme={theme} button={BUTTON_CONFIG}>
      <AntApp>
        <ApiContext.Provider value={api}>{ui}</ApiContext.Provider>
      </AntApp>
    </ConfigProvider>,
  );
}
