// The review form: show the classification as it is filled in. The server recomputes it on
// saving and decides; without this script the form works the same.
(function () {
  "use strict";
  var form = document.querySelector(".hh-review-form");
  if (!form) return;
  var out = form.querySelector(".hh-verdict");
  var income = form.querySelector("[name=income]");
  var d = form.dataset;

  function amount(text) {
    var digits = (text || "").replace(/[.\s,₫đ]/g, "");
    return /^\d+$/.test(digits) ? parseInt(digits, 10) : null;
  }

  function update() {
    var lacking = form.querySelectorAll("input[name=lacking]:checked").length;
    var value = amount(income.value);
    var label = "";
    if (value !== null) {
      var poor = parseInt(d.poorCeiling, 10);
      var average = d.averageCeiling ? parseInt(d.averageCeiling, 10) : null;
      if (value <= poor) label = lacking >= parseInt(d.threshold, 10) ? d.labelPoor : d.labelNearPoor;
      else if (average !== null && value <= average) label = d.labelAverage;
      else label = d.labelAbove;
    }
    out.textContent = d.labelLacking + " " + lacking + (label ? " · " + label : "");
    out.hidden = false;
  }

  income.addEventListener("blur", function () {
    var value = amount(income.value);
    if (value !== null) income.value = value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  });
  form.addEventListener("change", update);
  income.addEventListener("input", update);
  update();
})();
