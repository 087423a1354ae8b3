// "Add author" / "Add conflict": a new empty row of a Django formset without reloading the page.
// Progressive enhancement: without this script the same button submits the form with
// add_row=PREFIX and the server sends the page back, as typed, with one more row (nothing is
// saved).
//
// Markup (templates/submissions/author/_edit_form.html): a container [data-formset=PREFIX]
// holding the formset's management form, a tbody[data-formset-rows], a
// <template data-formset-empty> with one row whose names and ids use "__prefix__" and whose
// labels use "__number__", and the [data-formset-add] button.
(function () {
  "use strict";

  function enhance(box) {
    const prefix = box.dataset.formset;
    const total = box.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const max = box.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`);
    const rows = box.querySelector("[data-formset-rows]");
    const empty = box.querySelector("template[data-formset-empty]");
    const button = box.querySelector("[data-formset-add]");
    const status = box.querySelector("[data-formset-status]");
    if (!total || !rows || !empty || !button) return;
    const limit = max ? parseInt(max.value, 10) : Infinity;

    function refresh() {
      const full = parseInt(total.value, 10) >= limit;
      button.disabled = full;
      if (full && status) status.textContent = `At most ${limit} rows.`;
    }

    button.addEventListener("click", (event) => {
      event.preventDefault();
      const index = parseInt(total.value, 10);
      if (index >= limit) return;
      const html = empty.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html.trim());
      total.value = String(index + 1);
      const added = rows.lastElementChild;
      const first = added && added.querySelector("input:not([type=hidden]):not([type=number]), select");
      if (first) first.focus();
      if (status) status.textContent = `Row ${index + 1} added.`;
      refresh();
    });

    refresh();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-formset]").forEach(enhance);
  });
})();
