// Follows a background import on its job page: moves the progress bar as the worker reports
// rows, and reloads the page (preview, errors or summary) once the job is no longer running.
(function () {
  "use strict";
  const bar = document.getElementById("import-progress");
  if (!bar) {
    return;
  }
  const label = document.getElementById("import-progress-label");
  const status = document.getElementById("import-status");
  const waiting = document.getElementById("import-waiting");

  async function poll() {
    try {
      const response = await fetch(bar.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const job = await response.json();
        if (!job.active) {
          window.location.reload();
          return;
        }
        if (job.total) {
          bar.max = job.total;
          bar.value = job.done;
        }
        label.textContent = job.label;
        status.textContent = job.status_label;
        if (waiting && job.status !== "queued") {
          waiting.hidden = true;
        }
      }
    } catch (error) {
      // A network hiccup: the next poll tries again.
    }
    window.setTimeout(poll, 1000);
  }

  window.setTimeout(poll, 1000);
})();
