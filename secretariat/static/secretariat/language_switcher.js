// The admin's language menu (admin/base_site.html) switches as soon as a language is chosen;
// without JavaScript, its "Change" button does.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", () => select.form.submit());
  }
});
