// Enhances the cookie banner's plain forms: the choice is sent without leaving the page, the banner goes, and
// scripts of the categories just accepted start at once (with this page's nonce). Without JavaScript the forms
// post and come back to the same page.
(function () {
  var self = document.currentScript;
  var nonce = self && (self.nonce || self.getAttribute('nonce'));
  function activate(srcs) {
    srcs.forEach(function (src) {
      var s = document.createElement('script');
      s.src = src;
      if (nonce) s.nonce = nonce;
      document.body.appendChild(s);
    });
  }
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-gdpr-consent') || !window.fetch) return;
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    var button = event.submitter;
    if (button && button.name) data.set(button.name, button.value);
    fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
      .then(function (answer) {
        if (answer.reload) return window.location.reload();
        var banner = document.getElementById('gdpr-banner');
        if (banner) {
          var wall = banner.closest('.gdpr-wall');
          (wall || banner).remove();
        }
        activate(answer.scripts || []);
        var status = document.createElement('p');
        status.className = 'sr-only';
        status.setAttribute('role', 'status');
        status.textContent = 'Your cookie choice is saved.';
        document.body.appendChild(status);
      })
      .catch(function () {
        // Sent the plain way instead, with the button that was pressed.
        if (button && button.name) {
          var chosen = document.createElement('input');
          chosen.type = 'hidden';
          chosen.name = button.name;
          chosen.value = button.value;
          form.appendChild(chosen);
        }
        form.submit();
      });
  });
})();
