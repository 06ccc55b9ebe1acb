// Core's admin script (served at /assets/admin.js, loaded on admin pages only, no inline script under the CSP):
// a form marked data-confirm asks before it is sent; without JavaScript the server's own confirmation page stands.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});
