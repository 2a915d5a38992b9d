// The programme on a phone (issue 20), on the programme, speaker and agenda pages. Without
// JavaScript none of it shows: the times stay in the event's zone, as the build wrote them,
// and the programme is the list.
//   - My time zone: every <time datetime> of the page (which carries the event's UTC offset)
//     written again in the visitor's own zone, in the page's locale, and back; the choice is
//     kept in this browser for the whole site. The lines that say which zone is shown say so.
//   - The day bar's "now": while the event is on, a link to the running session (or the
//     next one), and the sessions marked (issue 5's now and next).
//   - Rooms side by side: a day with sessions at the same time in different rooms as a grid,
//     a column per room, each session over the rows of its duration. Its sessions are the
//     list's own elements, moved, so that their ids, stars and links stay what they are.
//   - A session's links (issue 26): its stream marked while it runs, its recording first once
//     it has ended.
// Everything an editor wrote is moved or copied with textContent: nothing becomes HTML here.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = new URL(script.dataset.root || "./", location.href);
  var KEY = "majlis.programme:" + root.pathname;
  var MINUTE = 60 * 1000;
  var HOUR = 60 * MINUTE;
  // A time of day with its offset: a date alone has no zone to change.
  var INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)$/;
  var main = document.querySelector("main") || document.body;

  function load() {
    try {
      var value = JSON.parse(localStorage.getItem(KEY) || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (e) {
      return {};
    }
  }
  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch (e) {
      // Storage refused (private mode): the choice holds for this page only.
    }
  }
  var prefs = load();

  // ---- My time zone ----
  var visitorZone = "";
  try {
    visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    // No Intl time zones: the switch stays hidden.
  }
  function format(options) {
    options.timeZone = visitorZone;
    try {
      return new Intl.DateTimeFormat(script.dataset.locale, options);
    } catch (e) {
      // A locale Intl does not know: the page's language, then the browser's.
      try {
        return new Intl.DateTimeFormat(document.documentElement.lang, options);
      } catch (e2) {
        return new Intl.DateTimeFormat(undefined, options);
      }
    }
  }
  var formats = null;
  function visitorFormats() {
    if (!formats)
      formats = {
        time: format({ hour: "numeric", minute: "2-digit" }),
        // A time on another day than the event's: its weekday is said.
        dayTime: format({ weekday: "short", hour: "numeric", minute: "2-digit" }),
        offset: format({ timeZoneName: "shortOffset" }),
        date: day(visitorZone),
        eventDate: day(script.dataset.zone),
      };
    return formats;
  }
  // The day of an instant in a zone, to compare: "2024-02-29".
  function day(zone) {
    var numbers = { year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone };
    var f;
    try {
      f = new Intl.DateTimeFormat("en-US", numbers);
    } catch (e) {
      return null;
    }
    return {
      of: function (date) {
        return ["year", "month", "day"].map(function (type) { return part(f, date, type); }).join("-");
      },
    };
  }
  function part(formatter, date, type) {
    var found = formatter.formatToParts(date).filter(function (p) { return p.type === type; });
    return found.length ? found[0].value : "";
  }
  // What the build wrote, kept when the script first writes over it.
  var written = new WeakMap();
  function keep(node) {
    if (!written.has(node)) written.set(node, node.textContent);
  }
  function eventText(node) {
    return written.has(node) ? written.get(node) : node.textContent;
  }
  var controls = document.querySelector(".time-controls");
  var zoneLabels = controls && controls.querySelector("template.zone-labels");
  function zoneLabel(name) {
    var node = zoneLabels && zoneLabels.content.querySelector('[data-label="' + name + '"]');
    return node ? node.textContent : "";
  }
  var zoneSwitch = controls && controls.querySelector(".zone-switch");
  var mine = false;

  function showTimes() {
    var f = mine && visitorFormats();
    main.querySelectorAll("time[datetime]").forEach(function (node) {
      var iso = node.getAttribute("datetime");
      if (!INSTANT.test(iso)) return;
      if (!mine) {
        if (written.has(node)) node.textContent = written.get(node);
        return;
      }
      keep(node);
      var instant = new Date(iso);
      // The event's day of the time: the agenda's times are in UTC.
      var eventDay = f.eventDate ? f.eventDate.of(instant) : iso.slice(0, 10);
      var sameDay = f.date.of(instant) === eventDay;
      node.textContent = (sameDay ? f.time : f.dayTime).format(instant);
    });
    // Each line that says the zone: the visitor's, with the offsets of the times it is
    // about (its section's), which differ across a daylight-saving change.
    main.querySelectorAll(".timezone-note").forEach(function (note) {
      var label = note.querySelector(".zone-label");
      var name = note.querySelector(".zone-name");
      if (!label || !name) return;
      if (!mine) {
        if (written.has(label)) label.textContent = written.get(label);
        if (written.has(name)) name.textContent = written.get(name);
        return;
      }
      keep(label);
      keep(name);
      var scope = note.closest("section") || main;
      var offsets = [];
      scope.querySelectorAll("time[datetime]").forEach(function (node) {
        var iso = node.getAttribute("datetime");
        if (!INSTANT.test(iso)) return;
        var offset = part(f.offset, new Date(iso), "timeZoneName");
        if (offsets.indexOf(offset) < 0) offsets.push(offset);
      });
      label.textContent = zoneLabel("visitor");
      name.textContent = visitorZone + (offsets.length ? " (" + offsets.join(" / ") + ")" : "");
    });
  }
  if (zoneSwitch && visitorZone && visitorZone !== script.dataset.zone) {
    mine = prefs.zone === "visitor";
    zoneSwitch.hidden = false;
    zoneSwitch.setAttribute("aria-pressed", String(mine));
    zoneSwitch.addEventListener("click", function () {
      mine = !mine;
      zoneSwitch.setAttribute("aria-pressed", String(mine));
      if (mine) prefs.zone = "visitor";
      else delete prefs.zone;
      save();
      showTimes();
    });
    if (mine) showTimes();
    // The agenda page writes its sessions after it has loaded them (agenda.js).
    document.addEventListener("majlis:sessions", function () {
      if (mine) showTimes();
    });
  }

  // ---- The sessions, as the list has them ----
  function times(element) {
    var nodes = element.querySelectorAll(".session-time time[datetime]");
    return {
      start: nodes[0] ? Date.parse(nodes[0].getAttribute("datetime")) : NaN,
      end: nodes[1] ? Date.parse(nodes[1].getAttribute("datetime")) : NaN,
    };
  }
  // A session without an end (a dinner at 19:30) lasts until the next one starts, `most` at
  // most. `sessions` are sorted by start.
  function endless(sessions, most) {
    sessions.forEach(function (s, i) {
      if (!isNaN(s.end) && s.end > s.start) return;
      var j = i + 1;
      while (j < sessions.length && sessions[j].start <= s.start) j++;
      s.end = Math.min(s.start + most, j < sessions.length ? sessions[j].start : Infinity);
    });
  }
  function byStart(a, b) {
    return a.start - b.start;
  }

  // ---- The day bar's "now" ----
  var now = document.querySelector(".day-bar .day-now");
  var nowLabels = document.getElementById("now-next-labels");
  if (now && nowLabels && nowLabels.content) {
    var sessions = Array.prototype.slice
      .call(main.querySelectorAll("article.session[id]:not(.cancelled)"))
      .map(function (element) {
        var t = times(element);
        return { element: element, start: t.start, end: t.end };
      })
      .filter(function (s) { return !isNaN(s.start); })
      .sort(byStart);
    endless(sessions, 2 * HOUR);
    var first = sessions.length ? sessions[0].start : 0;
    var last = Math.max.apply(null, sessions.map(function (s) { return s.end; }));
    var badge = function (kind) {
      return nowLabels.content.querySelector(".badge-" + kind).cloneNode(true);
    };
    var title = function (s) {
      return s.element.querySelector(".session-title").textContent.trim();
    };
    var clear = function () {
      main.querySelectorAll(".session.is-now, .session.is-next").forEach(function (el) {
        el.classList.remove("is-now", "is-next");
        el.removeAttribute("aria-current");
      });
      main.querySelectorAll(".session .badge").forEach(function (el) { el.remove(); });
      now.hidden = true;
    };
    var mark = function (list, kind) {
      list.forEach(function (s) {
        s.element.classList.add("is-" + kind);
        if (kind === "now") s.element.setAttribute("aria-current", "time");
        var meta = s.element.querySelector(".session-meta");
        if (meta) meta.prepend(badge(kind));
        else s.element.querySelector(".session-title").append(badge(kind));
      });
    };
    var update = function () {
      var instant = Date.now();
      // The event is on from an hour before its first session until its last one ends.
      if (sessions.length === 0 || instant < first - HOUR || instant >= last) {
        if (!now.hidden) clear();
        return;
      }
      clear();
      var current = sessions.filter(function (s) { return s.start <= instant && instant < s.end; });
      var upcoming = sessions.filter(function (s) { return s.start > instant; });
      var next = upcoming.filter(function (s) { return s.start === upcoming[0].start; });
      mark(current, "now");
      mark(next, "next");
      // The bar leads to the running session, or else to the next.
      var target = current[0] || next[0];
      if (!target) return;
      var link = now.querySelector("a");
      link.href = "#" + target.element.id;
      var name = document.createElement("span");
      name.className = "day-now-title";
      name.textContent = title(target);
      link.replaceChildren(badge(current[0] ? "now" : "next"), " ", name);
      now.hidden = false;
    };
    update();
    setInterval(update, MINUTE);
  }

  // ---- A session's links as its time goes (issue 26) ----
  // Its stream marked while it runs, by its style and, for screen readers, its words ("Live"),
  // which take no room: nothing on the page moves. Its recording first once it has ended.
  function sessionLinks() {
    var instant = Date.now();
    main.querySelectorAll(".session-links").forEach(function (list) {
      var element = list.closest("article.session, li.appearance");
      if (!element || element.classList.contains("cancelled")) return;
      var nodes = element.querySelectorAll(".session-time time[datetime], .when time[datetime]");
      var start = nodes[0] ? Date.parse(nodes[0].getAttribute("datetime")) : NaN;
      var end = nodes[1] ? Date.parse(nodes[1].getAttribute("datetime")) : start + 2 * HOUR;
      if (isNaN(start)) return;
      var stream = list.querySelector(".link-stream a");
      if (stream) {
        var live = start <= instant && instant < end;
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
      var recording = list.querySelector(".link-recording");
      if (recording && instant >= end && recording.previousElementSibling) list.prepend(recording);
    });
  }
  if (main.querySelector(".session-links")) {
    sessionLinks();
    setInterval(sessionLinks, MINUTE);
  }
  document.addEventListener("majlis:sessions", sessionLinks);

  // ---- Rooms side by side ----
  var gridSwitch = controls && controls.querySelector(".grid-switch");
  function roomOf(element) {
    var location = element.querySelector(".session-meta .location");
    if (!location) return "";
    var copy = location.cloneNode(true);
    copy.querySelectorAll(".visually-hidden, svg").forEach(function (n) { n.remove(); });
    return copy.textContent.trim();
  }
  function overlap(a, b) {
    return a.start < b.end && b.start < a.end;
  }
  // The days with sessions at the same time in different rooms, as the build found them;
  // read only when the grid is first shown, so that a long programme's load costs nothing.
  var days = null;
  function parallelDays() {
    if (days) return days;
    var sections = main.querySelectorAll("section.day.rooms-at-once");
    days = Array.prototype.slice.call(sections).map(dayOf).filter(function (day) {
      return day.parallel;
    });
    return days;
  }
  function dayOf(section) {
    var list = section.querySelector(".sessions");
    var items = Array.prototype.slice
      .call(list ? list.children : [])
      .filter(function (el) { return el.matches("article.session"); })
      .map(function (element) {
        var t = times(element);
        return { element: element, start: t.start, end: t.end, room: roomOf(element) };
      })
      .filter(function (s) { return !isNaN(s.start); });
    var sorted = items.slice().sort(byStart);
    endless(sorted, HOUR);
    // The build's "rooms at once", seen in the page's language.
    var parallel = sorted.some(function (a, i) {
      for (var j = i + 1; j < sorted.length && sorted[j].start < a.end; j++)
        if (a.room && sorted[j].room && a.room !== sorted[j].room) return true;
      return false;
    });
    return { section: section, list: list, items: items, sorted: sorted, parallel: parallel };
  }

  // A column per room, in the order the rooms first come in the day; a session whose room
  // is taken at its time (or that has none and meets another) gets a column of its own, so
  // that no two sessions ever cover each other. A session without a room that meets no other
  // (registration, a break for all) spans every column.
  function lay(day) {
    var lanes = [];
    var spans = [];
    day.sorted.forEach(function (s) {
      var alone = !s.room && day.sorted.every(function (o) { return o === s || !overlap(s, o); });
      if (alone) return spans.push(s);
      var lane = lanes.filter(function (l) {
        return l.room === s.room && l.items.every(function (o) { return !overlap(s, o); });
      })[0];
      if (!lane) {
        lane = { room: s.room, items: [] };
        // Beside the room's other columns.
        var at = lanes.map(function (l) { return l.room; }).lastIndexOf(s.room);
        lanes.splice(at < 0 ? lanes.length : at + 1, 0, lane);
      }
      lane.items.push(s);
    });
    return { lanes: lanes, spans: spans };
  }

  var SLOT = 5 * MINUTE;
  function grid(day) {
    if (day.frame) return day.frame;
    var layout = lay(day);
    var start = day.sorted[0].start;
    var row = function (t) { return 2 + Math.round((t - start) / SLOT); };
    var frame = document.createElement("div");
    frame.className = "grid-frame";
    frame.setAttribute("role", "region");
    frame.tabIndex = 0;
    var heading = day.section.querySelector("h2");
    frame.setAttribute("aria-label", gridSwitch.textContent.trim() + " · " + (heading ? heading.textContent.trim() : ""));
    var box = document.createElement("div");
    box.className = "grid";
    box.style.setProperty("--rooms", String(layout.lanes.length));
    frame.append(box);
    layout.lanes.forEach(function (lane, i) {
      var head = document.createElement("p");
      head.className = "grid-room";
      head.textContent = lane.room;
      head.style.gridColumn = String(i + 2);
      box.append(head);
      lane.items.forEach(function (s) { s.column = String(i + 2); });
    });
    layout.spans.forEach(function (s) { s.column = "2 / -1"; });
    // The times down the start side: each start, once.
    var starts = [];
    day.sorted.forEach(function (s) {
      if (starts.indexOf(s.start) >= 0) return;
      starts.push(s.start);
      var source = s.element.querySelector(".session-time time");
      var mark = document.createElement("p");
      mark.className = "grid-time";
      mark.setAttribute("aria-hidden", "true");
      var time = document.createElement("time");
      time.setAttribute("datetime", source.getAttribute("datetime"));
      time.textContent = eventText(source);
      mark.append(time);
      mark.style.gridRow = String(row(s.start));
      box.append(mark);
    });
    day.placed = day.sorted.map(function (s) {
      return { element: s.element, column: s.column, row: row(s.start) + " / " + Math.max(row(s.end), row(s.start) + 1) };
    });
    day.box = box;
    day.frame = frame;
    return frame;
  }

  function showGrid(on) {
    parallelDays().forEach(function (day) {
      if (on) {
        var frame = grid(day);
        day.placed.forEach(function (p) {
          p.element.style.gridColumn = p.column;
          p.element.style.gridRow = p.row;
          day.box.append(p.element);
        });
        if (!frame.parentNode) day.list.after(frame);
        day.list.hidden = true;
        frame.hidden = false;
      } else if (day.frame) {
        day.items.forEach(function (s) {
          s.element.style.removeProperty("grid-column");
          s.element.style.removeProperty("grid-row");
          day.list.append(s.element);
        });
        day.list.hidden = false;
        day.frame.hidden = true;
      }
    });
    if (mine) showTimes();
  }
  if (gridSwitch && main.querySelector("section.day.rooms-at-once")) {
    var gridOn = prefs.grid === true;
    gridSwitch.hidden = false;
    gridSwitch.setAttribute("aria-pressed", String(gridOn));
    gridSwitch.addEventListener("click", function () {
      gridOn = !gridOn;
      gridSwitch.setAttribute("aria-pressed", String(gridOn));
      if (gridOn) prefs.grid = true;
      else delete prefs.grid;
      save();
      showGrid(gridOn);
    });
    if (gridOn) showGrid(true);
  }
})();
