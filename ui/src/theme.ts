import type { ThemeConfig } from "antd";
import zhCN from "antd/locale/zh_CN";

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

/** Ant Design's Chinese locale writes quarters and months as "2026-Q4" and "2026-12"; officers
 * read "2026年第4季度" and "2026年12月" in every date picker. */
export const LOCALE: typeof zhCN = {
  ...zhCN,
  DatePicker: zhCN.DatePicker && {
    ...zhCN.DatePicker,
    lang: {
      ...zhCN.DatePicker.lang,
      fieldQuarterFormat: "YYYY年第Q季度",
      cellQuarterFormat: "第Q季度",
      fieldMonthFormat: "YYYY年M月",
      fieldYearFormat: "YYYY年",
    },
  },
};
