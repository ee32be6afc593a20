/* Groups the digits of a money box when it is left: "150000" becomes "150.000", as Vietnamese
   write it. Without this script the box takes "150000" as well; the server reads both (and
   "150 000", "150.000 đ"), so only whole amounts are touched and anything else is left as typed
   for the server to explain. */
(function () {
  function group(digits) {
    return digits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  document.addEventListener("focusout", function (event) {
    var box = event.target;
    if (!box.hasAttribute || !box.hasAttribute("data-money")) return;
    var text = box.value.replace(/\s+|₫|đ|vnđ|vnd/gi, "");
    // Plain digits, or digits already grouped by threes with dots or commas.
    if (!/^(\d+|\d{1,3}([.,]\d{3})+)$/.test(text)) return;
    box.value = group(text.replace(/[.,]/g, ""));
  });
})();
