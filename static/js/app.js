// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function fmtLocal(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return "";
    return d.toLocaleString(undefined, {
      weekday: "short", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short",
    });
  }

  function fmtCountdown(ms) {
    if (ms <= 0) return "passed";
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (d > 0) return `in ${d}d ${h}h ${m}m`;
    return `in ${h}h ${String(m).padStart(2, "0")}m ${String(sec).padStart(2, "0")}s`;
  }

  function localTimes(root) {
    root.querySelectorAll("[data-local]").forEach((el) => {
      el.textContent = ` (your time: ${fmtLocal(el.dataset.local)})`;
    });
  }

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach((el) => {
      el.textContent = fmtCountdown(new Date(el.dataset.countdown) - new Date());
    });
  }

  // Math in rendered Markdown (mlsys/core/markdown.py): load the vendored KaTeX only when needed.
  let katexLoading = null;
  function renderMath(root) {
    const nodes = root.querySelectorAll(".math-inline:not([data-rendered]), .math-display:not([data-rendered])");
    if (!nodes.length) return;
    if (!katexLoading) {
      katexLoading = new Promise((resolve) => {
        const css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = document.body.dataset.katexCss;
        document.head.appendChild(css);
        const js = document.createElement("script");
        js.src = document.body.dataset.katexJs;
        js.onload = resolve;
        document.head.appendChild(js);
      });
    }
    katexLoading.then(() => {
      nodes.forEach((el) => {
        try {
          window.katex.render(el.textContent, el, {
            displayMode: el.classList.contains("math-display"), throwOnError: false, trust: false,
          });
        } catch (err) { /* leave the TeX source visible */ }
        el.dataset.rendered = "1";
      });
    });
  }

  // A table wider than its box scrolls sideways in its .table-wrap; without a link or button
  // inside, a keyboard user cannot scroll it, so such a wrapper becomes a named, focusable
  // region (WCAG 2.1.1; docs/accessibility.md). Rechecked when the window or the table changes.
  const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function scrollableTables(root) {
    root.querySelectorAll(".table-wrap").forEach((wrap) => {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      const owned = wrap.dataset.scrollFocus === "1";
      if (scrolls && !owned && !wrap.hasAttribute("tabindex") && !wrap.querySelector(FOCUSABLE)) {
        const table = wrap.querySelector("table");
        const caption = table && (table.caption || table.getAttribute("aria-label"));
        const name = caption ? (caption.textContent || caption).trim() : "Table";
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", `${name} (scrolls sideways)`);
        wrap.dataset.scrollFocus = "1";
      } else if (!scrolls && owned) {
        ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach((a) => wrap.removeAttribute(a));
      }
    });
  }
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => scrollableTables(document), 150);
  });

  document.addEventListener("DOMContentLoaded", () => {
    scrollableTables(document);
    renderMath(document);
    localTimes(document);
    tick();
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSwap", (e) => {
    localTimes(e.target); renderMath(e.target); scrollableTables(document);
  });
})();
