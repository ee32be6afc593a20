/* Keeps "Bắt đầu sau 2 giờ 15 phút" true while the page stays open. The page already says it
   without this script; the words come from the page, in the visitor's language. */
(function () {
  var el = document.querySelector("[data-countdown]");
  if (!el) return;
  var words = JSON.parse(el.getAttribute("data-words"));
  var start = Date.parse(el.getAttribute("datetime"));
  function unit(key, n) { return words[key + (n === 1 ? "1" : "2")].replace("{n}", n); }
  function tick() {
    var mins = Math.floor((start - Date.now()) / 60000);
    if (!(mins >= 1)) { el.textContent = words.soon; return; }
    var parts = [[Math.floor(mins / 1440), "d"], [Math.floor(mins % 1440 / 60), "h"], [mins % 60, "m"]];
    var first = 0;
    while (!parts[first][0]) first++;
    var text = parts.slice(first, first + 2).filter(function (p) { return p[0]; })
      .map(function (p) { return unit(p[1], p[0]); }).join(" ");
    el.textContent = words["in"].replace("{t}", text);
    setTimeout(tick, 30000);
  }
  tick();
})();
