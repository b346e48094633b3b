/* The activity log's offline queue ("My day" page). Without this script the page's plain
   form posts to the server and works as it is. With it:
   - the form is sent to the API as JSON (session cookie + CSRF token) with its client_key;
   - when there is no connection, the entry is kept in localStorage and shown as "waiting to
     send" (data-worklog-pending); it is sent when the connection returns (the 'online'
     event) and whenever the page loads, exactly once: the server answers a key it has seen
     with the entry it already made (200) instead of making another;
   - an entry the page finds in the server's list of the day was sent even if its answer
     was lost on the way back: it is no longer kept (nor shown twice);
   - an entry the server refuses (a rule broken) stays in the list with the server's reason
     until the person removes it; one refused while online is posted as the plain form, so
     that the server shows its errors at the fields.
   An evidence file cannot be kept offline (localStorage holds text): with a file chosen the
   plain form is used, and offline the person is told to remove it or wait.
   Hooks (stable, see docs/performance/worklog.md): form[data-worklog-form],
   ul[data-worklog-pending] > li[data-client-key][data-pending-state],
   [data-worklog-status], ul[data-worklog-day]. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-worklog-form]");
  if (!form || !window.fetch || !window.localStorage || !window.JSON) {
    return;
  }
  var storageKey = form.getAttribute("data-storage-key");
  var api = form.getAttribute("data-api");
  var pendingList = document.querySelector("[data-worklog-pending]");
  var statusLine = document.querySelector("[data-worklog-status]");
  var flushing = false;
  var edited = false;

  function msg(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function say(text) {
    if (statusLine) {
      statusLine.textContent = text;
    }
  }

  function load() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(storageKey) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function store(queue) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(queue));
    } catch (error) {
      say(String(error));
    }
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    // crypto.randomUUID needs a secure context; random hex is as good a key.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function value(name) {
    var input = field(name);
    return input ? String(input.value || "").trim() : "";
  }

  function csrf() {
    return value("csrfmiddlewaretoken");
  }

  function readForm() {
    var activity = field("activity");
    var option = activity && activity.selectedIndex >= 0 ? activity.options[activity.selectedIndex] : null;
    var overtime = field("overtime");
    return {
      client_key: value("client_key") || newKey(),
      work_date: value("work_date"),
      start_time: value("start_time"),
      end_time: value("end_time"),
      activity_id: parseInt(value("activity"), 10),
      activity_label: option ? option.text : "",
      quantity: parseInt(value("quantity"), 10),
      note: value("note"),
      overtime: !!(overtime && overtime.checked),
      state: "waiting",
      detail: ""
    };
  }

  function complete(item) {
    return item.work_date && item.start_time && item.end_time && item.activity_id > 0 && item.quantity > 0;
  }

  function payload(item) {
    return {
      client_key: item.client_key,
      work_date: item.work_date,
      start_time: item.start_time,
      end_time: item.end_time,
      activity_id: item.activity_id,
      quantity: item.quantity,
      note: item.note,
      overtime: item.overtime
    };
  }

  function describe(problem) {
    var parts = [problem.detail || ""];
    var errors = problem.errors || {};
    Object.keys(errors).forEach(function (name) {
      (errors[name] || []).forEach(function (text) {
        if (parts.indexOf(text) < 0) {
          parts.push(text);
        }
      });
    });
    return parts.filter(Boolean).join(" ");
  }

  // One attempt: "sent", "refused" (with the reason) or "later" (no connection, the
  // server busy, or the session to renew): a "later" entry stays waiting.
  function send(item) {
    return window
      .fetch(api, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrf()
        },
        body: JSON.stringify(payload(item))
      })
      .then(
        function (response) {
          if (response.status === 200 || response.status === 201) {
            return { kind: "sent" };
          }
          return response.json().then(
            function (problem) {
              var code = problem && problem.code;
              var retry =
                response.status >= 500 ||
                response.status === 429 ||
                ((response.status === 401 || response.status === 403) &&
                  code !== "performance_not_an_employee");
              return retry ? { kind: "later" } : { kind: "refused", detail: describe(problem || {}) };
            },
            function () {
              return response.status >= 500 ? { kind: "later" } : { kind: "refused", detail: String(response.status) };
            }
          );
        },
        function () {
          return { kind: "later" };
        }
      );
  }

  function render() {
    if (!pendingList) {
      return;
    }
    var queue = load();
    pendingList.textContent = "";
    pendingList.hidden = queue.length === 0;
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-client-key", item.client_key);
      li.setAttribute("data-pending-state", item.state);
      var when = document.createElement("strong");
      when.textContent = item.work_date + " " + item.start_time + "–" + item.end_time;
      li.appendChild(when);
      li.appendChild(document.createTextNode(" " + item.activity_label + " × " + item.quantity + " "));
      var badge = document.createElement("span");
      badge.className = "badge state-" + item.state;
      badge.textContent = item.state === "refused" ? msg("refused") : msg("waiting");
      li.appendChild(badge);
      if (item.state === "refused") {
        var reason = document.createElement("small");
        reason.setAttribute("data-pending-reason", "");
        reason.textContent = " " + item.detail;
        li.appendChild(reason);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary small";
        remove.setAttribute("data-pending-remove", item.client_key);
        remove.textContent = msg("dismiss");
        li.appendChild(remove);
      }
      pendingList.appendChild(li);
    });
  }

  function update(key, change) {
    var queue = load()
      .map(function (item) {
        return item.client_key === key ? change(item) : item;
      })
      .filter(Boolean);
    store(queue);
    render();
  }

  function flush() {
    var waiting = load().filter(function (item) {
      return item.state === "waiting";
    });
    if (flushing || waiting.length === 0) {
      return;
    }
    flushing = true;
    say(msg("sending"));
    var sent = 0;
    function next(index) {
      if (index >= waiting.length) {
        return finish(true);
      }
      var item = waiting[index];
      return send(item).then(function (outcome) {
        if (outcome.kind === "later") {
          return finish(false);
        }
        update(item.client_key, function (kept) {
          if (outcome.kind === "sent") {
            sent += 1;
            return null;
          }
          kept.state = "refused";
          kept.detail = outcome.detail;
          return kept;
        });
        return next(index + 1);
      });
    }
    function finish(done) {
      flushing = false;
      say(done ? (sent ? msg("sent") : "") : msg("offline"));
      if (sent && !edited) {
        // The server's list shows the entries just sent (a GET: never a form re-posted).
        var day = document.querySelector("[data-worklog-day]");
        window.location.assign("?day=" + encodeURIComponent(day ? day.getAttribute("data-worklog-day") : ""));
      }
    }
    next(0);
  }

  function keep(item) {
    var queue = load();
    queue.push(item);
    store(queue);
    var key = field("client_key");
    if (key) {
      key.value = newKey(); // the next entry is another one
    }
    ["note"].forEach(function (name) {
      if (field(name)) {
        field(name).value = "";
      }
    });
    edited = false;
    render();
    say(msg("offline"));
  }

  form.addEventListener("input", function () {
    edited = true;
  });

  form.addEventListener("submit", function (event) {
    var file = field("evidence");
    if (file && file.files && file.files.length > 0) {
      if (navigator.onLine === false) {
        event.preventDefault();
        say(msg("no-file"));
      }
      return; // the plain form sends the file
    }
    var item = readForm();
    if (!complete(item)) {
      if (navigator.onLine === false) {
        event.preventDefault();
        say(msg("incomplete"));
      }
      return; // online, the server names the missing fields
    }
    event.preventDefault();
    if (navigator.onLine === false) {
      keep(item);
      return;
    }
    send(item).then(function (outcome) {
      if (outcome.kind === "sent") {
        window.location.assign("?day=" + encodeURIComponent(item.work_date));
      } else if (outcome.kind === "later") {
        keep(item);
      } else {
        form.submit(); // the server shows the refusal at its fields
      }
    });
  });

  if (pendingList) {
    pendingList.addEventListener("click", function (event) {
      var key = event.target && event.target.getAttribute && event.target.getAttribute("data-pending-remove");
      if (key) {
        update(key, function () {
          return null;
        });
      }
    });
  }

  // What the server lists for the day it has: an entry whose answer was lost on the way
  // back (sent, but the device never heard) is no longer kept once the page shows it.
  function forgetListed() {
    var listed = {};
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-worklog-day] li[data-client-key]"),
      function (li) {
        listed[li.getAttribute("data-client-key")] = true;
      }
    );
    var queue = load();
    var kept = queue.filter(function (item) {
      return !listed[item.client_key];
    });
    if (kept.length !== queue.length) {
      store(kept);
    }
  }

  window.addEventListener("online", flush);
  forgetListed();
  render();
  flush();
})();
