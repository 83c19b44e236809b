import { render } from "@testing-library/react";
import { App as AntApp, ConfigProvider } from "antd";
import type { ReactElement } from "react";
import { ApiContext } from "../api";
import type { Api } from "../api";
import { BUTTON_CONFIG, LOCALE, theme } from "../theme";

export function renderWithApi(ui: ReactElement, api: Api) {
  return render(
    <ConfigProvider locale={LOCALE} theme={theme} button={BUTTON_CONFIG}>
      <AntApp>
        <ApiContext.Provider value={api}>{ui}</ApiContext.Provider>
      </AntApp>
    </ConfigProvider>,
  );
}
