// The officers' service worker, served at /ho-ho-tro/sw.js with scope /ho-ho-tro/.
// The route puts self.HH_CONFIG in front of this file: the addresses to keep from the start
// (the list page, the offline page, the fingerprinted assets) and the offline page's address.
//
// Pages under /ho-ho-tro/ are fetched from the network first and kept, so a page the officer
// opened with a signal opens again without one. Fingerprinted /static/ files are served from
// the cache first. Nothing else is touched: no other address, no POST, no download.
"use strict";

var CONFIG = self.HH_CONFIG;
var PREFIX = "cho-phien-ho-ho-tro-";
var CACHE = PREFIX + CONFIG.version;

function sameOrigin(url) {
  return url.origin === self.location.origin;
}

function isPage(response) {
  // A redirect (to the login page, say) or an error is never kept in place of the page asked for.
  return response && response.ok && !response.redirected && response.type === "basic" &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(CONFIG.precache.map(function (address) {
      return fetch(address, { credentials: "same-origin" }).then(function (response) {
        var keep = address.indexOf("/static/") === 0 ? response.ok : isPage(response);
        return keep ? cache.put(address, response) : null;
      }).catch(function () { return null; });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (isPage(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (kept) {
        return kept || cache.match(CONFIG.offline);
      });
    }).then(function (kept) {
      return kept || Response.error();
    });
  });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (url.pathname.indexOf(CONFIG.scope) === 0 && request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  }
});
