// Keeps the live page current from the server's event stream (the page works without it).
"use strict";
(function () {
  var body = document.body;
  var base = body.getAttribute("data-base");
  var strings = document.getElementById("strings");
  if (!base || !strings || !window.EventSource) return;
  var say = function (key) { return strings.getAttribute("data-" + key) || ""; };
  var el = function (id) { return document.getElementById(id); };
  var view = null, received = 0;

  function clock(remaining) {
    var over = remaining <= 0;
    var total = over ? Math.floor(-remaining + 1e-9) : Math.ceil(remaining - 1e-9);
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return (over ? "+" : "") + two(Math.floor(total / 60)) + ":" + two(total % 60);
  }

  function setText(id, text) {
    var node = el(id);
    if (node && node.textContent !== text) node.textContent = text;
  }

  function tick() {
    if (!view || !view.step) return;
    var remaining = view.step.remaining;
    if (view.step.running) remaining -= (Date.now() - received) / 1000;
    setText("countdown", clock(remaining));
  }

  function show(next) {
    view = next;
    received = Date.now();
    if (view.evaluation && !body.hasAttribute("data-done")) {
      location.replace(base);  // the evaluation step: the server shows the form here
      return;
    }
    setText("title", view.title);
    var step = view.step;
    if (view.state === "live" && step) {
      setText("step-number", say("step").replace("{n}", step.number).replace("{total}", view.steps));
      setText("step-title", step.title);
      el("paused").hidden = step.running;
      el("speaker").hidden = !step.speaker;
      setText("speaker", step.speaker ? say("speaking").replace("{name}", step.speaker) : "");
    } else {
      setText("step-number", say(view.state === "waiting" ? "waiting" : "closed"));
      setText("step-title", "");
      setText("countdown", "");
      el("paused").hidden = true;
      el("speaker").hidden = true;
    }
    tick();
    body.setAttribute("data-step", step ? String(step.number) : "");
  }

  var stream = new EventSource(base + "/events");
  stream.addEventListener("view", function (e) {
    show(JSON.parse(e.data));
    if (view.state === "closed") stream.close();
  });
  setInterval(tick, 250);
})();
