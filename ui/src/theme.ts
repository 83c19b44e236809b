import type { ThemeConfig } from "antd";

/** System fonts only: the program runs offline. */
export const FONT_FAMILY =
  '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: "#1f5f8b",
    colorLink: "#1f5f8b",
    borderRadius: 4,
    fontFamily: FONT_FAMILY,
    fontSize: 14,
    colorBgLayout: "#f3f5f7",
  },
  components: {
    Layout: {
      headerBg: "#ffffff",
      headerHeight: 56,
      headerPadding: "0 24px",
      bodyBg: "#f3f5f7",
    },
    Card: {
      headerFontSize: 15,
    },
    Menu: {
      itemSelectedBg: "#e4eef5",
      itemSelectedColor: "#1f5f8b",
      itemHoverBg: "#eef3f7",
      itemMarginInline: 8,
      itemBorderRadius: 4,
    },
  },
};

/** Keep "登录" as written: antd would otherwise show two-character labels as "登 录". */
export const BUTTON_CONFIG = { autoInsertSpace: false };
