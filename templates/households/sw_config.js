{#- Put in front of static/js/households-sw.js by the households.service_worker view. A new
    fingerprint of any asset changes this text, so the browser installs the worker again. -#}
self.HH_CONFIG = {{ {
  "version": version,
  "scope": url_for("households.household_list"),
  "offline": url_for("households.offline_page"),
  "precache": [
    url_for("households.household_list"),
    url_for("households.offline_page"),
    asset_url("css/site.css"),
    asset_url("img/favicon.svg"),
    asset_url("js/review.js"),
    asset_url("js/offline-review.js"),
    url_for("static", filename="manifest.webmanifest"),
    asset_url("img/icon-192.png"),
  ],
} | tojson }};
