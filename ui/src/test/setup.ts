import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

afterEach(() => {
  cleanup();
});

// antd's responsive helpers need matchMedia, which jsdom lacks.
if (!window.matchMedia) {
  Object.defineProperty(window, "matchMedia", {
    writable: true,
    configurable: true,
    value: (query: string): MediaQueryList => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

// jsdom's getComputedStyle runs the whole cascade over every <style> tag antd
// injects (about half a second a call once a few screens have rendered), and
// it does not implement pseudo-elements. Nothing under test depends on
// stylesheet values, so answer with the element's own inline style: the same
// CSSStyleDeclaration interface, at no cost.
window.getComputedStyle = (elt: Element) =>
  (elt as HTMLElement).style ?? document.createElement("div").style;

if (!("ResizeObserver" in window)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, "ResizeObserver", { writable: true, configurable: true, value: ResizeObserverStub });
}

// ECharts needs layout that jsdom lacks: every test gets the recording fake
// (src/test/echarts.ts) in place of the registered charts.
vi.mock("../charts/echarts", () => import("./echarts"));
