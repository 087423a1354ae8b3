// Browser backup of the review form (reviews/review/page.html): every edit is copied to
// localStorage, so a closed tab or a lost connection loses nothing. On the next visit, if the
// backup differs from what the server has, the reviewer is offered to restore it.
(function () {
  "use strict";

  function fieldValues(form) {
    const values = {};
    form.querySelectorAll("textarea[name], select[name], input[type=radio][name]").forEach((el) => {
      if (el.type === "radio") {
        if (!(el.name in values)) values[el.name] = "";
        if (el.checked) values[el.name] = el.value;
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function applyValues(form, values) {
    Object.entries(values).forEach(([name, value]) => {
      form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((el) => {
        if (el.type === "radio") el.checked = el.value === value;
        else if (el.name !== "version" && el.name !== "csrfmiddlewaretoken") el.value = value;
      });
    });
    // Let the autosave (htmx, on "change") store the restored answers on the server.
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function same(a, b) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if ((a[k] || "") !== (b[k] || "")) return false;
    return true;
  }

  function init() {
    const form = document.getElementById("review-form");
    if (!form || !window.localStorage) return;
    const key = form.dataset.storageKey;
    const banner = document.getElementById("restore-banner");
    let stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (err) { stored = null; }

    if (stored && stored.values && !same(stored.values, fieldValues(form)) && banner) {
      const when = new Date(stored.savedAt);
      banner.querySelector("[data-restore-time]").textContent = isNaN(when) ? "earlier" : when.toLocaleString();
      banner.hidden = false;
      banner.querySelector("[data-restore]").addEventListener("click", () => {
        applyValues(form, stored.values);
        banner.hidden = true;
      });
      banner.querySelector("[data-discard]").addEventListener("click", () => {
        localStorage.removeItem(key);
        banner.hidden = true;
      });
    }

    const backup = () => {
      try {
        localStorage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), values: fieldValues(form) }));
      } catch (err) { /* storage full or disabled: the server autosave still runs */ }
    };
    form.addEventListener("input", backup);
    form.addEventListener("change", backup);

    // Submitting while an autosave is in flight would send a version the autosave is about to
    // replace (and be refused as stale): wait for the autosave, then submit. Once submitting,
    // no further autosave may start (a queued one, or a pending "keyup delay"): it would race
    // the submit on the version; the submit carries every answer anyway.
    let submitting = false;
    form.addEventListener("htmx:beforeRequest", (event) => {
      if (submitting) event.preventDefault();
    });
    window.addEventListener("pageshow", () => { submitting = false; });
    form.addEventListener("submit", (event) => {
      submitting = true;
      if (!form.classList.contains("htmx-request")) return;
      event.preventDefault();
      const submitter = event.submitter;
      form.addEventListener("htmx:afterRequest", () => form.requestSubmit(submitter), { once: true });
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
