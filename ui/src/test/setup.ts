// Shared set-up of every screen test: jsdom's missing browser parts, cleanup, and how long a test
// waits for the page.
import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// findBy… and waitFor give up after 1 s by default. On a loaded 2-core machine (CI, or the suite
// beside a build) an antd form can take longer than that to answer a click, which failed tests
// that were right; a passing wait returns as soon as its condition holds, so only a failure waits
// the longer time.
configure({ asyncUtilTimeout: 5000 });

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
