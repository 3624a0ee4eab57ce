// Tagflow's own script: the login forms (JSON to the session API) and what follows a logout.
// No inline scripts: the pages are served with Content-Security-Policy default-src 'self'.
(function () {
  "use strict";

  function login(form, body) {
    var error = document.getElementById("login-error");
    error.textContent = "";
    fetch("/api/v1/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (answer) {
      if (answer.status === 201) {
        window.location.assign("/ui");
        return null;
      }
      return answer.json().then(function (problem) {
        error.textContent = (problem && problem.message) || ("login failed (" + answer.status + ")");
      });
    }).catch(function () {
      error.textContent = "the server cannot be reached";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var password = document.getElementById("login-password");
    if (password) {
      password.addEventListener("submit", function (event) {
        event.preventDefault();
        login(password, { username: password.username.value, password: password.password.value });
      });
    }
    var token = document.getElementById("login-token");
    if (token) {
      token.addEventListener("submit", function (event) {
        event.preventDefault();
        login(token, { token: token.token.value });
      });
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target && event.target.id === "logout" && event.detail.successful) {
      window.location.assign("/ui/login");
    }
  });
  // Says whether the board is live; EventSource reconnects by itself.
  document.addEventListener("htmx:sseOpen", function () {
    var state = document.getElementById("live-state");
    if (state) { state.textContent = "Updates live."; }
  });
  // A run's log: keep the newest line in view while the reader is at the bottom; say when it ended.
  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    var log = document.getElementById("log");
    if (log && event.detail && event.detail.type === "line") {
      log.dataset.follow = log.scrollHeight - log.scrollTop - log.clientHeight < 40 ? "yes" : "no";
    }
  });
  document.addEventListener("htmx:sseMessage", function (event) {
    var log = document.getElementById("log");
    if (!log || !event.detail) { return; }
    if (event.detail.type === "line" && log.dataset.follow !== "no") {
      log.scrollTop = log.scrollHeight;
    }
    if (event.detail.type === "end") {
      var state = document.getElementById("log-state");
      if (state) { state.textContent = "The run ended; this is its whole log."; }
      log.classList.add("ended");
    }
  });
  document.addEventListener("htmx:sseError", function () {
    var state = document.getElementById("live-state");
    if (state) { state.textContent = "Live updates interrupted; reconnecting…"; }
  });
})();
