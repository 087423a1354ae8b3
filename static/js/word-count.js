// Live word count of a response: every textarea marked data-words in the form that carries
// data-word-limit counts towards one total (the server counts the same way: whitespace split).
(function () {
  "use strict";
  function words(text) {
    const t = text.trim();
    return t ? t.split(/\s+/).length : 0;
  }
  function update(form) {
    const out = form.querySelector("[data-word-count]");
    if (!out) return;
    const limit = parseInt(form.dataset.wordLimit, 10);
    let total = 0;
    form.querySelectorAll("textarea[data-words]").forEach((el) => { total += words(el.value); });
    out.textContent = `${total} of ${limit} words` + (total > limit ? ` (${total - limit} over the limit)` : "");
    out.classList.toggle("over-limit", total > limit);
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-word-limit]").forEach((form) => {
      update(form);
      form.addEventListener("input", () => update(form));
    });
  });
})();
