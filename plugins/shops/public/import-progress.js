// The import page's progress bar: polls the import's JSON while its job runs (seller, import page only).
// Without this script the page works by reload; with it the bar moves, and the page reloads once at the end
// to show the report.
(function () {
  'use strict';
  var panel = document.querySelector('.import-progress[data-progress-url]');
  if (!panel) return;
  var status = panel.getAttribute('data-status');
  if (status !== 'queued' && status !== 'running') return;
  var bar = panel.querySelector('progress');
  function field(name) {
    return panel.querySelector('[data-field="' + name + '"]');
  }
  function poll() {
    fetch(panel.getAttribute('data-progress-url'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (p) {
        if (!p) return setTimeout(poll, 2000);
        bar.max = Math.max(p.total, 1);
        bar.value = p.processed;
        bar.textContent = p.percent + '%';
        ['processed', 'percent', 'created', 'updated', 'unchanged', 'errors'].forEach(function (name) {
          var el = field(name);
          if (el) el.textContent = String(p[name]);
        });
        if (p.status === 'done' || p.status === 'failed') return window.location.reload();
        setTimeout(poll, 1000);
      })
      .catch(function () {
        // A missed poll is tried again.
        setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, 1000);
})();
