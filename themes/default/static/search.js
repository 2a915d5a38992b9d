// Search (issue 22), on the search page only: finds the words of the form, or of the address
// (`?q=WORDS`, so that a search can be shared), in the language's index that the build writes
// (src/render/search.rs): `index.json` (the results, and how many shards of words), then only
// the shards of the words typed. Every text is written with textContent, never as HTML, and
// nothing is fetched from anywhere but the site.
"use strict";

// What the index's words are folded with, as src/render/fold.rs folds them: both are checked
// against tests/search/fold.json. A function of the script's top level, so that the check can
// run it alone.
var MAJLIS_MARKS =
  /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]/g;
var MAJLIS_LETTERS = { "ı": "i", "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ð": "d",
  "ł": "l", "þ": "th", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك" };
function majlisFold(text) {
  var folded = text.normalize("NFKD").toLowerCase().replace(MAJLIS_MARKS, "")
    .replace(/[ıœæßøđðłþٱةىیک]/g, function (c) { return MAJLIS_LETTERS[c]; })
    // Arabic-Indic and Persian digits, whose zeros' code points end in 0.
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, function (c) { return String(c.charCodeAt(0) & 0xf); });
  return folded.match(/[\p{Alphabetic}\p{N}]+/gu) || [];
}

(function () {
  var list = typeof document !== "undefined" && document.getElementById("search-results");
  if (!list) return;
  var root = list.dataset.root;
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-words");
  var status = document.querySelector(".search-status");
  var labels = {};
  document.getElementById("search-labels").content.querySelectorAll("[data-label]")
    .forEach(function (el) { labels[el.dataset.label] = el.textContent; });
  document.querySelector(".search-needs-script").hidden = true;

  var index = null;
  var shards = {};
  var json = function (url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  };
  var loadIndex = function () {
    if (!index) index = json(list.dataset.index);
    return index;
  };
  // The shard of a folded word, as src/render/search.rs's shard_of.
  var shardOf = function (word, count) {
    var chars = Array.from(word);
    var second = chars.length > 1 ? chars[1].codePointAt(0) : 0;
    return (chars[0].codePointAt(0) * 31 + second) % count;
  };
  var loadShard = function (n) {
    if (!shards[n]) shards[n] = json(list.dataset.index.replace(/index\.json$/, "words-" + n + ".json"));
    return shards[n];
  };

  // Each result's score for one word of the query: the best of the index's words it begins
  // (a word of one letter only itself), more for the whole word, more again in a title.
  var scores = function (word, shard) {
    var whole = Array.from(word).length < 2;
    var found = new Map();
    Object.keys(shard).forEach(function (term) {
      if (whole ? term !== word : !term.startsWith(word)) return;
      var weight = term === word ? 2 : 1;
      var at = 0;
      shard[term].forEach(function (gap) {
        at += gap;
        var score = weight * (at & 1 ? 3 : 1);
        var result = at >> 1;
        if (!(found.get(result) >= score)) found.set(result, score);
      });
    });
    return found;
  };

  var search = function (query) {
    var words = majlisFold(query);
    if (words.length === 0) return Promise.resolve(null);
    return loadIndex().then(function (idx) {
      return Promise.all(words.map(function (w) { return loadShard(shardOf(w, idx.shards)); }))
        .then(function (loaded) {
          var total = null;
          words.forEach(function (w, i) {
            var found = scores(w, loaded[i]);
            if (!total) { total = found; return; }
            total.forEach(function (score, result) {
              if (found.has(result)) total.set(result, score + found.get(result));
              else total.delete(result);
            });
          });
          var ranked = Array.from(total.keys());
          ranked.sort(function (a, b) { return total.get(b) - total.get(a) || a - b; });
          return ranked.map(function (r) { return idx.results[r]; });
        });
    });
  };

  var show = function (results) {
    list.replaceChildren();
    if (!results) { status.textContent = ""; return; }
    if (results.length === 0) { status.textContent = labels.none; return; }
    status.textContent = labels.results + " " + results.length.toLocaleString(document.documentElement.lang);
    results.forEach(function (row) {
      var item = document.createElement("li");
      item.className = "search-result search-" + row[0];
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = labels[row[0]];
      var link = document.createElement("a");
      link.href = root + row[1];
      link.textContent = row[2];
      if (row[4]) { link.lang = row[4]; link.dir = row[5]; }
      item.append(kind, " ", link);
      if (row[3]) {
        var detail = document.createElement("p");
        detail.className = "search-detail";
        detail.textContent = row[3];
        item.append(detail);
      }
      list.append(item);
    });
  };

  // The newest query wins, whichever answer comes back first.
  var asked = 0;
  var run = function (query) {
    var mine = ++asked;
    search(query).then(function (results) {
      if (mine === asked) show(results);
    }, function () {
      if (mine === asked) { list.replaceChildren(); status.textContent = labels.unavailable; }
    });
  };
  var remember = function (query) {
    var url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  };

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value.trim()); run(input.value); }, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value.trim());
    run(input.value);
  });
  var query = new URLSearchParams(location.search).get("q") || "";
  if (query) {
    input.value = query;
    run(query);
  }
})();
