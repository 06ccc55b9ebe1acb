// The product page's option picker: price, stock and picture follow the chosen option. The form works
// without this script (the server prices what was chosen); this only keeps the page in step with the choice.
(function () {
  'use strict';
  var picker = document.querySelector('.variant-picker');
  if (!picker) return;
  var price = document.querySelector('[data-variant-price] .price');
  var compare = document.querySelector('[data-variant-price] .compare-at');
  var stock = document.querySelector('[data-variant-stock]');
  var picture = document.querySelector('.gallery-slide .product-main-image');
  var original = picture ? picture.getAttribute('src') : null;

  function show(input) {
    if (price) price.textContent = input.getAttribute('data-price') || '';
    if (compare) {
      var was = input.getAttribute('data-compare') || '';
      compare.textContent = was;
      compare.hidden = !was;
    }
    if (stock) {
      stock.textContent = '';
      var span = document.createElement('span');
      span.className = input.getAttribute('data-low') ? 'stock-low' : 'stock-in';
      span.textContent = input.getAttribute('data-stock') || '';
      stock.appendChild(span);
    }
    if (picture) {
      var image = input.getAttribute('data-image');
      picture.setAttribute('src', image || original);
    }
  }

  picker.addEventListener('change', function (event) {
    var input = event.target;
    if (input && input.name === 'variant_id' && input.checked) show(input);
  });
  var checked = picker.querySelector('input[name="variant_id"]:checked');
  if (checked) show(checked);
})();
