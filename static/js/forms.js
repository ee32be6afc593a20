/* Moves the focus to a form's error summary, so a phone scrolls to it and a screen reader reads
   it first. Without this script the summary is already the first thing above the form. */
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
