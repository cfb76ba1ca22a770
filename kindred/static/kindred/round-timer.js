// A gentle countdown for the round on the facilitator's page. The page works without it: the server
// already says when the current person's time is up. No sounds, no flashing: it just counts down.
(function () {
  "use strict";
  function start(box) {
    var endsAt = Date.parse(box.getAttribute("data-ends-at"));
    var display = box.querySelector(".round-timer-display");
    if (!display || isNaN(endsAt)) {
      return;
    }
    display.hidden = false;
    function tick() {
      var left = Math.round((endsAt - Date.now()) / 1000);
      if (left <= 0) {
        display.textContent = "Time's up — no rush to finish mid-sentence.";
        box.classList.add("round-timer-done");
        return;
      }
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      display.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left";
      window.setTimeout(tick, 1000);
    }
    tick();
  }
  document.querySelectorAll("[data-round-timer]").forEach(start);
})();
