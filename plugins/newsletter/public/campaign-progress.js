// Moves the campaign's progress bar while its batches go out (admin, campaign page only).
(function () {
  const panel = document.querySelector('[data-progress-url]');
  if (!panel) return;
  const bar = panel.querySelector('progress');
  const field = (name) => panel.querySelector(`[data-field="${name}"]`);
  async function poll() {
    try {
      const res = await fetch(panel.getAttribute('data-progress-url'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return;
      const p = await res.json();
      bar.max = Math.max(p.total, 1);
      bar.value = p.total - p.pending;
      bar.textContent = `${p.percent}%`;
      for (const name of ['sent', 'skipped', 'pending', 'percent']) if (field(name)) field(name).textContent = String(p[name]);
      if (p.status === 'sent') {
        const heading = panel.querySelector('h2');
        if (heading) heading.textContent = 'Sent';
        return;
      }
    } catch {
      // A missed poll is tried again on the next tick.
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
