// The attendee's agenda (issue 19), with no account: the sessions they star are kept in this
// browser (localStorage, one key per site, by session id, so that a star made in French shows
// in Arabic), and LANG/agenda/ lists them from the sessions' data the build publishes
// (LANG/agenda/sessions.json). Everything from that data is written with textContent: no text
// an editor wrote becomes HTML here. Without script the stars stay hidden and the agenda page
// says it needs script.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL((script && script.dataset.root) || "./", location.href);
  var KEY = "majlis.agenda:" + root.pathname;
  var ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

  // The starred sessions: id -> its title when starred, to name it if it leaves the programme.
  function load() {
    try {
      var value = JSON.parse(localStorage.getItem(KEY) || "{}");
      return value && typeof value === "object" && !Array.isArray(value) ? value : {};
    } catch (e) {
      return {};
    }
  }
  function save(starred) {
    try {
      localStorage.setItem(KEY, JSON.stringify(starred));
    } catch (e) {
      // Storage refused (private mode, full): the star holds for this page only.
    }
  }
  function has(starred, id) {
    return Object.prototype.hasOwnProperty.call(starred, id);
  }

  function showStars() {
    var starred = load();
    document.querySelectorAll("button.star[data-session]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(has(starred, button.dataset.session)));
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.star[data-session]");
    if (!button) return;
    var starred = load();
    var id = button.dataset.session;
    if (has(starred, id)) delete starred[id];
    else starred[id] = button.dataset.title || "";
    save(starred);
    showStars();
  });
  // A star made in another tab.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) showStars();
  });
  showStars();

  var agenda = document.getElementById("agenda");
  var labels = document.getElementById("agenda-labels");
  if (!agenda || !labels) return;
  // The agenda takes the no-script note's place once it has its sessions (or knows it has
  // none), in one frame: shown before, it would grow above its own controls as they came,
  // a layout shift.
  var needsScript = document.querySelector(".agenda-needs-script");
  function reveal() {
    if (needsScript) needsScript.hidden = true;
    agenda.hidden = false;
  }
  function label(name) {
    return labels.content.querySelector('[data-label="' + name + '"]').cloneNode(true);
  }
  function text(name) {
    return label(name).textContent;
  }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }
  // A text of the data: {text, lang, dir}, marked when it is not in the page's language.
  function written(tag, value, className) {
    var node = el(tag, className, value.text);
    if (value.lang && value.lang !== document.documentElement.lang) {
      node.lang = value.lang;
      node.dir = value.dir;
    }
    return node;
  }
  function part(selector) {
    return agenda.querySelector(selector);
  }

  // A shared list, `?s=ID,ID`: shown, and kept only when the attendee asks.
  var shared = new URLSearchParams(location.search).get("s");
  function ids() {
    if (shared === null) return Object.keys(load());
    return shared.split(",").filter(function (id, i, all) {
      return ID.test(id) && all.indexOf(id) === i;
    });
  }

  function render(data) {
    var byId = {};
    data.sessions.forEach(function (s) { byId[s.id] = s; });
    var list = ids();
    var chosen = data.sessions.filter(function (s) { return list.indexOf(s.id) >= 0; });
    var gone = list.filter(function (id) { return !byId[id]; });
    var days = part(".agenda-days");
    days.replaceChildren();
    part(".agenda-shared").hidden = shared === null;
    part(".agenda-empty").hidden = list.length > 0;
    // A shared list is someone else's until kept: no "add my agenda", no sharing it on.
    part(".agenda-actions").hidden = chosen.length === 0 || shared !== null;

    // Sessions that overlap: each starred, not cancelled, session whose time meets another's.
    var span = function (s) {
      var start = Date.parse(s.start_utc);
      return [start, s.end_utc ? Date.parse(s.end_utc) : start];
    };
    chosen.forEach(function (s) {
      var a = span(s);
      s.overlaps = !s.cancelled && chosen.some(function (o) {
        var b = span(o);
        return o !== s && !o.cancelled && (a[0] === b[0] || (a[0] < b[1] && b[0] < a[1]));
      });
    });

    data.days.forEach(function (day, d) {
      var sessions = chosen.filter(function (s) { return s.day === d; });
      if (sessions.length === 0) return;
      var section = el("section", "day");
      var heading = el("h2");
      if (day.title) heading.append(written("span", day.title, "day-title"), " ");
      heading.append(el("span", "day-date", day.label));
      // As the programme's (macros.html's timezone_note), for programme.js to rewrite.
      var zone = el("p", "timezone-note");
      zone.append(el("span", "zone-label", text("local_time")), ": ", el("bdi", "zone-name", day.zone));
      var box = el("div", "sessions");
      sessions.forEach(function (s) { box.append(session(s)); });
      section.append(heading, zone, box);
      days.append(section);
    });

    var goneList = part(".agenda-gone ul");
    goneList.replaceChildren();
    part(".agenda-gone").hidden = gone.length === 0;
    gone.forEach(function (id) {
      var item = el("li", "agenda-gone-item", (shared === null && load()[id]) || id);
      if (shared === null) {
        var drop = el("button", "button agenda-drop", text("drop"));
        drop.type = "button";
        drop.addEventListener("click", function () {
          var starred = load();
          delete starred[id];
          save(starred);
          render(data);
        });
        item.append(" ", drop);
      }
      goneList.append(item);
    });

    var share = part(".agenda-share");
    share.href = location.pathname + "?s=" + chosen.map(function (s) { return s.id; }).join(",");
    showStars();
    // Its times are written in the event's zone: programme.js writes them in the visitor's.
    document.dispatchEvent(new Event("majlis:sessions"));
  }

  function session(s) {
    var article = el("article", "session" + (s.cancelled ? " cancelled" : "") + (s.overlaps ? " overlaps" : ""));
    article.id = s.id;
    var time = el("p", "session-time");
    var start = el("time", "", s.start);
    start.dateTime = s.start_utc;
    time.append(start);
    if (s.end) {
      var end = el("time", "", s.end);
      end.dateTime = s.end_utc;
      time.append(el("span", "range-sep", " – "), end);
    }
    var body = el("div", "session-body");
    var star = el("button", "star");
    star.type = "button";
    star.dataset.session = s.id;
    star.dataset.title = s.title.text;
    star.setAttribute("aria-pressed", "false");
    star.append(starIcon(), el("span", "visually-hidden", text("star") + ": " + s.title.text));
    var title = el("h3", "session-title");
    var link = el("a");
    link.href = new URL(s.url, root).href;
    link.append(written(s.cancelled ? "del" : "span", s.title));
    title.append(link);
    var meta = el("p", "session-meta");
    meta.append(el("span", "kind", s.kind_label));
    if (s.cancelled) meta.append(" ", label("cancelled"));
    if (s.overlaps) meta.append(" ", label("overlap"));
    if (s.location) {
      var room = el("span", "location");
      room.append(el("span", "visually-hidden", text("location") + ": "), written("span", s.location));
      meta.append(" ", room);
    }
    body.append(star, title, meta);
    [["moderators", s.moderators], ["speakers", s.speakers]].forEach(function (group) {
      var people = group[1];
      if (people.length === 0) return;
      var block = el("div", "people " + group[0]);
      block.append(el("h4", "", text(people.length > 1 ? group[0] : group[0].slice(0, -1))));
      var ul = el("ul");
      people.forEach(function (p) {
        var a = el("a", "person");
        a.href = new URL(p.url, root).href;
        a.append(written("bdi", p.name));
        var li = el("li");
        li.append(a);
        ul.append(li);
      });
      block.append(ul);
      body.append(block);
    });
    // Its stream, slides, recording and feedback form, as on the programme: the stream marked
    // while the session runs, the recording first once it has ended.
    if (s.links.length) {
      var now = Date.now();
      var ended = now >= Date.parse(s.end_utc || s.start_utc);
      var live = !ended && now >= Date.parse(s.start_utc);
      var list = el("ul", "session-links");
      s.links.forEach(function (l) {
        var a = el("a", live && l.kind === "stream" ? "is-live" : "", text("link_" + l.kind));
        a.href = l.url;
        a.append(el("span", "visually-hidden", ": " + s.title.text + (live && l.kind === "stream" ? " (" + text("live") + ")" : "")));
        var li = el("li", "link-" + l.kind);
        li.append(a);
        if (ended && l.kind === "recording") list.prepend(li);
        else list.append(li);
      });
      body.append(list);
    }
    // The session's .ics, then Google Calendar and Outlook; each link names the session.
    var links = el("p", "add-to-calendar");
    [
      ["add_to_calendar", new URL(s.calendar, root).href],
      ["google_calendar", s.google_calendar],
      ["outlook_calendar", s.outlook_calendar],
    ].forEach(function (target, i) {
      if (!target[1]) return;
      var a = el("a", "", text(target[0]));
      a.href = target[1];
      if (i === 0) a.type = "text/calendar";
      else {
        a.rel = "noopener";
        a.target = "_blank";
      }
      a.append(el("span", "visually-hidden", ": " + s.title.text));
      links.append(i ? " " : "", a);
    });
    body.append(links);
    article.append(time, body);
    return article;
  }

  function starIcon() {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
    use.setAttribute("href", "#icon-star");
    svg.append(use);
    return svg;
  }

  // The agenda as a calendar file: the feeds' own VEVENTs, so the feeds' UIDs.
  function download(data) {
    var list = ids();
    var events = data.sessions
      .filter(function (s) { return list.indexOf(s.id) >= 0; })
      .map(function (s) { return s.vevent; });
    var file = new Blob([data.calendar.head + events.join("") + data.calendar.end], {
      type: "text/calendar",
    });
    var a = el("a");
    a.href = URL.createObjectURL(file);
    a.download = "agenda.ics";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 60 * 1000);
  }

  fetch(agenda.dataset.sessions)
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (data) {
      render(data);
      reveal();
      part(".agenda-download").addEventListener("click", function () { download(data); });
      part(".agenda-keep").addEventListener("click", function () {
        var starred = load();
        var byId = {};
        data.sessions.forEach(function (s) { byId[s.id] = s; });
        // A shared session no longer in the programme is not worth keeping.
        ids().forEach(function (id) {
          if (byId[id] && !has(starred, id)) starred[id] = byId[id].title.text;
        });
        save(starred);
        shared = null;
        history.replaceState(null, "", location.pathname);
        render(data);
      });
      part(".agenda-share").addEventListener("click", function (event) {
        var url = event.currentTarget.href;
        if (navigator.share) {
          event.preventDefault();
          navigator.share({ title: document.title, url: url }).catch(function () {});
        } else if (navigator.clipboard) {
          event.preventDefault();
          navigator.clipboard.writeText(url).then(function () {
            part(".agenda-status").textContent = text("copied");
          }, function () { location.href = url; });
        }
      });
      window.addEventListener("storage", function (event) {
        if (event.key === KEY && shared === null) render(data);
      });
    })
    .catch(function () {
      part(".agenda-unavailable").hidden = false;
      reveal();
    });
})();
