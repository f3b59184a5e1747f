// The status page: asks serve for /status.json every few seconds with the
// token and draws what it says. Everything is built with textContent, never
// as HTML, so no text from a campaign or a provider can run as a script.
"use strict";
(function () {
  var POLL_MS = 2000, HIDDEN_POLL_MS = 10000, KEY = "broadcaster-status-token";
  var $ = function (id) { return document.getElementById(id); };
  var lastOk = null, timer = null;

  // A token in the address (#token=...) is taken once and removed from it,
  // so it is not left in the history; the fragment never reaches a server.
  function tokenFromAddress() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!m) return false;
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
    return true;
  }
  tokenFromAddress();

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function n(x) { return (x || 0).toLocaleString(); }
  function pct(rate) { return rate === null || rate === undefined ? "–" : (rate * 100).toFixed(1) + "%"; }
  function clock(iso) { var d = new Date(iso); return isNaN(d) ? "" : d.toLocaleTimeString(); }
  function fill(id, items) { var box = $(id); box.replaceChildren.apply(box, items); }

  function campaign(c) {
    var card = el("article", "campaign");
    card.dataset.campaign = c.campaign;
    var top = el("div", "top");
    top.append(el("h3", "", c.campaign), el("span", "state " + c.status, c.status));
    card.append(top);
    var finished = c.queued - c.remaining;
    var bar = el("progress");
    bar.max = Math.max(c.queued, 1);
    bar.value = Math.max(finished, 0);
    bar.setAttribute("aria-label", "progress " + n(finished) + " of " + n(c.queued));
    card.append(bar);
    var dl = el("dl");
    var rows = [["queued", "Queued", n(c.queued)], ["sent", "Sent", n(c.sent)],
      ["delivered", "Delivered", n(c.delivered)], ["undelivered", "Undelivered", n(c.undelivered)],
      ["failed", "Failed", n(c.failed + c.delivery_failed)], ["opted-out", "Skipped, opted out", n(c.skipped_stopped)],
      ["remaining", "Remaining", n(c.remaining)], ["delivery-rate", "Delivery rate", pct(c.delivery_rate)]];
    rows.forEach(function (r) {
      var dd = el("dd", "", r[2]);
      dd.dataset.count = r[0];
      dl.append(el("dt", "", r[1]), dd);
    });
    card.append(dl);
    var when = c.done_at ? "finished " + clock(c.done_at) : "submitted " + clock(c.submitted_at);
    card.append(el("p", "muted", c.channel + " · " + c.priority + " · " + when));
    return card;
  }

  function draw(s) {
    fill("campaigns", s.campaigns.length ? s.campaigns.map(campaign) : [el("p", "muted", "No campaigns yet.")]);
    fill("errors", s.errors.length ? s.errors.map(function (e) {
      var li = el("li");
      li.append(el("strong", "bad", n(e.count) + " × " + e.code), document.createTextNode(" " + (e.meaning || "unknown code")),
        el("div", "muted", e.campaigns.join(", ")));
      return li;
    }) : [el("li", "good", "No errors in these campaigns.")]);
    var t = s.today;
    $("today").textContent = t.date + " (" + s.time_zone + "): " + n(t.opt_outs) + " opt-outs, " + n(t.opt_ins) + " opt-ins.";
    fill("opt-outs", t.recent_opt_outs.map(function (o) {
      return el("li", "", clock(o.at) + " " + (o.number || "(erased)") + " opted out (" + o.source + ")");
    }));
    if (!t.recent_opt_outs.length) $("opt-outs").hidden = true; else $("opt-outs").hidden = false;
    fill("processes", s.processes.length ? s.processes.map(function (p) {
      var li = el("li", p.alive ? "good" : "bad");
      li.textContent = (p.alive ? "● " : "○ ") + p.name + (p.name === s.answered_by ? " (this one)" : "") +
        (p.alive ? " — alive" : " — silent for " + Math.round(p.last_seen_seconds) + " s");
      return li;
    }) : [el("li", "bad", "No serve process is alive: nothing is being sent.")]);
    lastOk = new Date();
    $("updated").className = "";
    $("updated").textContent = "Updated " + lastOk.toLocaleTimeString();
  }

  function stale(why) {
    var u = $("updated");
    u.className = "stale";
    u.textContent = why + (lastOk ? " — last update " + lastOk.toLocaleTimeString() : "") + "; retrying";
  }

  function login(message) {
    sessionStorage.removeItem(KEY);
    $("status").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("updated").textContent = "";
    $("token").focus();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
  }

  function poll() {
    var token = sessionStorage.getItem(KEY);
    if (!token) return login();
    fetch("status.json", { headers: { Authorization: "Bearer " + token }, cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) { login("That token was not accepted."); return null; }
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.error || "serve answered " + r.status);
          return body;
        });
      })
      .then(function (s) {
        if (!s) return;
        $("login").hidden = true;
        $("status").hidden = false;
        draw(s);
        schedule();
      })
      .catch(function (e) { stale(e.message === "Failed to fetch" ? "Cannot reach serve" : e.message); schedule(); });
  }

  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem(KEY, $("token").value);
    $("token").value = "";
    poll();
  });
  // A link with a token opened in a tab that already shows the page.
  window.addEventListener("hashchange", function () { if (tokenFromAddress()) poll(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
  poll();
})();
