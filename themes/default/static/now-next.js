// "Now" and "next" on the programme while the event is on (issue 5), and a session's links
// as its time goes (issue 26): its stream marked while it runs, its recording first once it
// has ended, on the programme and on speakers' pages. Each session's times are read from its
// <time datetime> values, which carry the event's UTC offset, so the marks are right whatever
// time zone the visitor's device is set to. Without JavaScript nothing changes: the banner
// stays hidden, no session is marked and the links keep their order.
(function () {
  "use strict";
  // Only the programme has the banner and its labels; a speaker's page has the links alone.
  var banner = document.querySelector(".now-next");
  var labels = document.getElementById("now-next-labels");
  if (!labels || !labels.content) banner = null;
  var HOUR = 3600 * 1000;

  var sessions = Array.prototype.slice
    .call(document.querySelectorAll(
      "article.session[id]:not(.cancelled), li.appearance[id]:not(.cancelled)"))
    .map(function (element) {
      var times = element.querySelectorAll(".session-time time[datetime], .when time[datetime]");
      return {
        element: element,
        start: times[0] ? Date.parse(times[0].getAttribute("datetime")) : NaN,
        end: times[1] ? Date.parse(times[1].getAttribute("datetime")) : NaN,
      };
    })
    .filter(function (s) { return !isNaN(s.start); })
    .sort(function (a, b) { return a.start - b.start; });
  if (sessions.length === 0) return;
  // A session without an end (a dinner at 19:30) lasts until the next one starts, two hours
  // at most.
  sessions.forEach(function (s) {
    if (!isNaN(s.end)) return;
    var later = sessions.filter(function (o) { return o.start > s.start; })[0];
    s.end = Math.min(s.start + 2 * HOUR, later ? later.start : Infinity);
  });
  var first = sessions[0].start;
  var last = Math.max.apply(null, sessions.map(function (s) { return s.end; }));

  function badge(kind) {
    return labels.content.querySelector(".badge-" + kind).cloneNode(true);
  }

  // The stream is marked by its style and, for screen readers, its words ("Live"), which
  // take no room: nothing on the page moves.
  function links(now) {
    sessions.forEach(function (s) {
      var stream = s.element.querySelector(".link-stream a");
      if (stream) {
        var live = s.start <= now && now < s.end;
        var words = stream.querySelector(".live-mark");
        stream.classList.toggle("is-live", live);
        if (live && !words) {
          words = document.createElement("span");
          words.className = "visually-hidden live-mark";
          words.textContent = " (" + stream.getAttribute("data-live") + ")";
          stream.append(words);
        } else if (!live && words) {
          words.remove();
        }
      }
      var recording = s.element.querySelector(".link-recording");
      if (recording && now >= s.end && recording.previousElementSibling) {
        recording.parentNode.prepend(recording);
      }
    });
  }

  function clear() {
    document.querySelectorAll(".session.is-now, .session.is-next").forEach(function (el) {
      el.classList.remove("is-now", "is-next");
      el.removeAttribute("aria-current");
    });
    document.querySelectorAll(".session .badge").forEach(function (el) { el.remove(); });
    banner.replaceChildren();
    banner.hidden = true;
  }

  // "Now: Opening Session", with a link to each session.
  function line(kind, list) {
    var span = document.createElement("span");
    span.append(badge(kind));
    list.forEach(function (s, i) {
      var link = document.createElement("a");
      link.href = "#" + s.element.id;
      link.textContent = s.element.querySelector(".session-title").textContent.trim();
      span.append(i === 0 ? " " : " · ", link);
    });
    return span;
  }

  function mark(list, kind) {
    list.forEach(function (s) {
      s.element.classList.add("is-" + kind);
      if (kind === "now") s.element.setAttribute("aria-current", "time");
      s.element.querySelector(".session-meta").prepend(badge(kind));
    });
  }

  function update() {
    var now = Date.now();
    links(now);
    if (!banner) return;
    clear();
    // The event is on from an hour before its first session until its last one ends.
    if (now < first - HOUR || now >= last) return;
    var current = sessions.filter(function (s) { return s.start <= now && now < s.end; });
    var upcoming = sessions.filter(function (s) { return s.start > now; });
    var next = upcoming.filter(function (s) { return s.start === upcoming[0].start; });
    mark(current, "now");
    mark(next, "next");
    if (current.length) banner.append(line("now", current));
    if (next.length) banner.append(line("next", next));
    banner.hidden = banner.childElementCount === 0;
  }

  update();
  setInterval(update, 60 * 1000);
})();
