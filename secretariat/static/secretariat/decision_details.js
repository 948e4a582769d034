// The record-decision page (admin/secretariat/decision/record.html): each kind of decision's
// details sit under the form; only the chosen kind's are shown. Without JavaScript all are shown,
// each headed by its kind, and only the chosen kind's are read.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.getElementById("id_kind");
  if (!kind) {
    return;
  }
  const show = () => {
    for (const fieldset of document.querySelectorAll("fieldset.decision-details")) {
      fieldset.style.display = fieldset.dataset.kind === kind.value ? "" : "none";
    }
  };
  kind.addEventListener("change", show);
  show();
});
