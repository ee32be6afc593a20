// The officers' pages without a signal. Loaded on every household page (its script tag carries
// the texts, translated on the server, and the addresses); without it everything still works
// online as plain forms.
//
// - registers the service worker that keeps the pages the officer opened (households-sw.js);
// - on the review form, a review sent without a connection is kept in IndexedDB with all its
//   fields (the CSRF token, the submission key, draft or submit) and sent when the connection
//   returns: on the `online` event, or when a household page loads with a connection;
// - a kept review leaves the phone only after the server answered it with a household page
//   (2xx after its redirect); the submission key makes a review sent twice count once.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.indexedDB || !window.fetch) return;
  var text = me.dataset;
  var DB_NAME = "cho-phien-ho-ho-tro";
  var STORE = "reviews";
  var queued = 0;
  var flushing = null;

  // --- The queue, in IndexedDB ------------------------------------------------------------

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function allItems() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return items.sort(function (a, b) { return a.savedAt - b.savedAt; });
    });
  }

  // One entry per opening of the form (its submission key): saving the same form again,
  // a draft and then the submission, replaces what was kept.
  function addItem(item) {
    return withStore("readwrite", function (store) { return store.put(item); });
  }

  function removeItem(key) {
    return withStore("readwrite", function (store) { return store.delete(key); });
  }

  // --- What the officer sees --------------------------------------------------------------

  function statusLine(className, before) {
    var line = document.querySelector("." + className);
    if (line) return line;
    line = document.createElement("p");
    line.className = "flash " + className;
    line.setAttribute("role", "status");
    line.setAttribute("aria-live", "polite");
    line.hidden = true;
    var main = document.getElementById("main") || document.body;
    if (before) before.parentNode.insertBefore(line, before);
    else main.insertBefore(line, main.firstChild);
    return line;
  }

  function say(message) {
    var form = document.querySelector(".hh-review-form");
    var line = statusLine("hh-offline-status", form ? form.querySelector(".form-actions") : null);
    line.textContent = message;
    line.hidden = false;
  }

  function showCount() {
    return allItems().then(function (items) {
      queued = items.length;
      var line = statusLine("hh-queue-count");
      line.textContent = text.queued.replace("{n}", String(queued));
      line.hidden = queued === 0;
      return queued;
    });
  }

  // --- Sending ----------------------------------------------------------------------------

  function post(item) {
    return fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.fields),
      credentials: "same-origin",
      redirect: "follow",
    });
  }

  function accepted(response) {
    // A login page or an error page means the review is not in; keep it.
    return response.status < 400 && new URL(response.url).pathname.indexOf(text.scope) === 0;
  }

  function flush() {
    if (flushing) return flushing;
    var sent = 0;
    flushing = allItems().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          return post(item).then(function (response) {
            if (!accepted(response)) return null;
            sent += 1;
            return removeItem(item.key);
          }, function () { return null; });  // still no connection: keep it for the next try
        });
      }, Promise.resolve());
    }).then(function () {
      if (sent) say(text.sent);
      return showCount();
    }).then(function () {
      return sent;
    }, function () {
      return sent;
    }).then(function (count) {
      flushing = null;
      return count;
    });
    return flushing;
  }

  // --- The review form --------------------------------------------------------------------

  function freshKey() {
    var bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function keep(item) {
    return addItem(item).then(function () {
      say(text.saved);
      return showCount();
    });
  }

  function submitAgainNatively(form, button) {
    // The server has the review now (or refused it and saved nothing): send the same form the
    // ordinary way, so its page comes back. The submission key makes this second sending
    // return the review already received.
    var action = form.querySelector("input[type=hidden][name=action]");
    if (!action) {
      action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      form.appendChild(action);
    }
    action.value = button ? button.value : "draft";
    form.submit();
  }

  function watchReviewForm(form) {
    var key = form.querySelector("input[name=submission_key]");
    // A form opened from the phone's copy carries the key of the day it was copied; a key of
    // this opening keeps a review made now from being taken for one sent before.
    if (key && window.crypto && crypto.getRandomValues) key.value = freshKey();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter && event.submitter.name === "action" ? event.submitter : null;
      var data = new FormData(form);
      data.set("action", button ? button.value : "draft");
      var item = {
        key: data.get("submission_key"),
        url: location.pathname,
        title: document.title,
        fields: Array.from(data.entries()),
        savedAt: Date.now(),
      };
      if (!navigator.onLine) {
        keep(item);
        return;
      }
      post(item).then(function () {
        submitAgainNatively(form, button);
      }, function () {
        keep(item);
      });
    });
  }

  // --- Signing out removes the phone's copy (the server's Clear-Site-Data): warn first -----

  function watchLogout() {
    document.querySelectorAll("form").forEach(function (form) {
      if (new URL(form.action, location.href).pathname !== text.logout) return;
      form.addEventListener("submit", function (event) {
        if (queued > 0 && !window.confirm(text.leave)) event.preventDefault();
      });
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(text.sw, { scope: text.scope }).catch(function () { return null; });
  }
  var reviewForm = document.querySelector(".hh-review-form");
  if (reviewForm) watchReviewForm(reviewForm);
  watchLogout();
  window.addEventListener("online", flush);
  showCount().then(function () {
    if (navigator.onLine && queued) flush();
  });
  // For the browser test and for a curious officer's console.
  window.hhOfflineReviews = { flush: flush, all: allItems, add: addItem, count: showCount };
})();
