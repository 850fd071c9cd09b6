/* The dashboard page's session watcher (explorer.serving injects it into every dashboard page,
 * on both routes, before Voila's own scripts run; `window.__nacSessionConfig` is set just before).
 *
 * One banner at the top of the page tells the student what the page can and cannot do:
 *   starting  - the page is up but the dashboard is not drawn yet: "Starting … (step k of 4)";
 *   failed    - it was not drawn within startTimeout seconds: message + Reload;
 *   lost      - the kernel's websocket closed and the page waits for it to reconnect;
 *   resyncing - it did; the controls stay frozen until the kernel has sent every widget's state
 *               again (then "Reconnected." is shown for a few seconds);
 *   ended     - the kernel died or the connection cannot be restored: message + Reload, and
 *               every control is disabled so that nothing moves without effect.
 * Previews: on the standalone server the page's HTML carries, first in its body, a block
 * (.<preview>) with the server's pictures of the view's first plots (explorer.serving,
 * explorer.app.render.preview), over the page until the live plots are drawn; it is removed then (or
 * when the session ends), and a preview image that fails to load is dropped.
 * Reload opens the current view's link (the dashboard's a.<viewLink>, whose href is the view's
 * query string), falling back to this page's own address.
 *
 * Kernel death is seen on the page's kernel websocket: Jupyter Server sends an iopub status
 * message "dead" (or "restarting") when its restarter finds the kernel process gone; a closed
 * socket that is not reopened within reconnectTimeout seconds (or fails maxFailedOpens times in
 * a row) ends the session too. ipywidgets' own broken-link icons are hidden: one banner instead.
 */
(function () {
  "use strict";
  if (window.__nacSession) return;
  // Names and timings come from explorer.serving.pages (SESSION_CONFIG and the class names of
  // explorer.app.declare.dom), set in the page's head just before this script.
  var cfg = window.__nacSessionConfig;
  if (!cfg) return;
  var KERNEL_WS = /\/api\/kernels\/([^/?#]+)\/channels/;
  var S = (window.__nacSession = {
    state: "starting", // starting | live | lost | resyncing | ended | failed
    events: [], // [time ms, what] for tests and for the curious
    kernelId: null,
    openSockets: 0,
    failedOpens: 0,
    reconnects: 0,
    unstuck: 0, // widget models freed from waiting for a reply lost with a connection
  });
  var t0 = performance.now();
  var unloading = false;
  var lostTimer = null;
  var lostNoticeTimer = null;
  var resyncTimer = null;
  function log(what) {
    S.events.push([Math.round(performance.now() - t0), what]);
  }

  // ---- the banner --------------------------------------------------------------------------
  var css =
    ".jupyter-widgets-disconnected::before{content:none!important;display:none!important}" +
    "." + cfg.banner + "{position:fixed;top:0;left:0;right:0;z-index:100000;display:flex;" +
    "flex-wrap:wrap;align-items:center;justify-content:center;text-align:center;gap:6px 14px;padding:8px 12px;" +
    "font:15px/1.35 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d1d1d;" +
    "background:#e8f1fb;border-bottom:2px solid #2f6db3;box-shadow:0 2px 6px rgba(0,0,0,.15)}" +
    "." + cfg.banner + "[data-state=ended],." + cfg.banner + "[data-state=failed]" +
    "{background:#fdecea;border-bottom-color:#c0392b}" +
    "." + cfg.banner + "[data-state=lost]{background:#fff4e5;border-bottom-color:#e69500}" +
    "." + cfg.banner + "[data-state=reconnected]{background:#e9f7ef;border-bottom-color:#1e8449}" +
    "." + cfg.banner + " ." + cfg.reload + "{font:inherit;font-weight:600;padding:4px 16px;" +
    "border:1px solid #c0392b;border-radius:4px;background:#fff;color:#c0392b;cursor:pointer}" +
    "." + cfg.banner + " ." + cfg.reload + ":hover{background:#c0392b;color:#fff}" +
    "body.nac-session-over ." + cfg.dashboard + "{opacity:.5;filter:grayscale(.7)}" +
    // the previews: over the page (the spinner, the half-built dashboard) until it is live
    "." + cfg.preview + "{position:fixed;top:0;left:0;right:0;bottom:0;z-index:99990;" +
    "overflow:auto;background:#fff;padding:0 0.5%;box-sizing:border-box;" +
    "font:15px/1.35 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d1d1d}" +
    "." + cfg.preview + "-note{margin:8px 0.5%;padding:6px 10px;background:#e8f1fb;" +
    "border-left:4px solid #2f6db3}" +
    "." + cfg.preview + "-plots{display:flex;flex-flow:row wrap;width:100%}" +
    "." + cfg.previewImage + "{flex:1 1 45%;min-width:300px;max-width:100%;width:45%;" +
    "height:auto;margin:0 0.5% 1em 0.5%}";
  var style = document.createElement("style");
  style.textContent = css;
  (document.head || document.documentElement).appendChild(style);

  var banner = null;
  var bannerText = null;
  var bannerButton = null;
  function padBody() {
    // Voila scrolls #rendered_cells (absolutely placed by its layout), not the body: push
    // that element's content below the fixed banner.
    if (!document.body) return;
    var pad = banner && banner.isConnected ? banner.offsetHeight + "px" : "";
    var target = document.getElementById("rendered_cells") || document.body;
    target.style.paddingTop = pad;
    var p = preview();
    if (p) p.style.paddingTop = pad;
  }
  window.addEventListener("resize", padBody);
  function showBanner(state, text, withReload) {
    if (!document.body) {
      document.addEventListener("DOMContentLoaded", function () {
        showBanner(state, text, withReload);
      });
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.className = cfg.banner;
      banner.setAttribute("role", "alert");
      bannerText = document.createElement("span");
      bannerButton = document.createElement("button");
      bannerButton.type = "button";
      bannerButton.className = cfg.reload;
      bannerButton.textContent = "Reload";
      bannerButton.addEventListener("click", reload);
      banner.appendChild(bannerText);
      banner.appendChild(bannerButton);
    }
    if (banner.isConnected && banner.getAttribute("data-state") === state &&
        bannerText.textContent === text && (bannerButton.style.display === "none") === !withReload)
      return; // nothing changes (the page watcher calls this on every change to the page)
    banner.setAttribute("data-state", state);
    bannerText.textContent = text;
    bannerButton.style.display = withReload ? "" : "none";
    if (!banner.isConnected) document.body.insertBefore(banner, document.body.firstChild);
    padBody();
  }
  function hideBanner() {
    if (banner && banner.isConnected) banner.remove();
    padBody();
  }

  // ---- previews ----------------------------------------------------------------------------
  function preview() {
    return document.querySelector("." + cfg.preview);
  }
  function dropPreview(why) {
    var p = preview();
    if (!p) return;
    p.remove();
    log("preview removed: " + why);
  }
  // (image load/error events do not reach window: listen on the document, capturing)
  document.addEventListener(
    "error",
    function (ev) {
      var img = ev.target;
      if (!img || !img.classList || !img.classList.contains(cfg.previewImage)) return;
      var p = preview();
      img.remove();
      log("preview image failed");
      if (p && !p.querySelector("img")) dropPreview("no image");
    },
    true
  );
  document.addEventListener(
    "load",
    function (ev) {
      var img = ev.target;
      if (!img || img.tagName !== "IMG" || !preview()) return;
      if (!img.classList.contains(cfg.previewImage)) {
        // a live plot came in: are they all drawn? (else the start-up tick will see it)
        if (step() === 5) dropPreview("live");
        return;
      }
      var all = preview() ? preview().querySelectorAll("img") : [];
      for (var i = 0; i < all.length; i++) if (!(all[i].complete && all[i].naturalWidth)) return;
      if (!S.previewAt) {
        // every preview image is in (the page's own clock, ms since this script ran)
        S.previewAt = Math.round(performance.now() - t0);
        log("preview shown");
      }
    },
    true
  );

  function viewUrl() {
    var a = document.querySelector("a." + cfg.viewLink);
    var href = a && a.getAttribute("href");
    if (href) {
      try {
        return new URL(href, location.href).href;
      } catch (e) {}
    }
    return location.origin + location.pathname + location.search;
  }
  function reload() {
    log("reload");
    location.assign(viewUrl());
  }
  S.viewUrl = viewUrl;

  // ---- controls ----------------------------------------------------------------------------
  function roots() {
    var r = Array.prototype.slice.call(document.querySelectorAll("." + cfg.dashboard));
    if (!r.length) {
      var cells = document.getElementById("rendered_cells");
      if (cells) r = [cells];
    }
    return r;
  }
  function inBanner(node) {
    return banner && node && banner.contains(node);
  }
  function swallow(ev) {
    if (S.state !== "ended" && S.state !== "lost") return;
    if (inBanner(ev.target)) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
  }
  [
    "keydown", "keypress", "keyup", "beforeinput", "input", "change", "pointerdown",
    "mousedown", "mouseup", "click", "dblclick", "touchstart", "touchmove", "wheel",
  ].forEach(function (type) {
    window.addEventListener(type, swallow, { capture: true, passive: false });
  });
  function freeze(on) {
    roots().forEach(function (root) {
      root.inert = on;
      root.setAttribute("aria-disabled", on ? "true" : "false");
      var controls = root.querySelectorAll("input, button, select, textarea");
      for (var i = 0; i < controls.length; i++) {
        var c = controls[i];
        if (on) {
          if (!c.disabled) {
            c.disabled = true;
            c.setAttribute("data-nac-frozen", "");
          }
        } else if (c.hasAttribute("data-nac-frozen")) {
          c.disabled = false;
          c.removeAttribute("data-nac-frozen");
        }
      }
    });
    if (on && document.activeElement && document.activeElement !== document.body &&
        !inBanner(document.activeElement)) {
      document.activeElement.blur();
    }
  }

  // ---- states ------------------------------------------------------------------------------
  function end(why) {
    if (S.state === "ended" || unloading) return;
    log("ended: " + why);
    S.state = "ended";
    S.endedBecause = why;
    clearTimeout(lostTimer);
    clearTimeout(lostNoticeTimer);
    dropPreview("session ended");
    document.body && document.body.classList.add("nac-session-over");
    freeze(true);
    showBanner(
      "ended",
      "This session has ended \u2014 the plots no longer follow the controls. " +
        "Reload to start a new one.",
      true
    );
  }
  function fail(why) {
    if (S.state !== "starting" || unloading) return;
    log("failed: " + why);
    S.state = "failed";
    S.endedBecause = why;
    var note = preview() && preview().querySelector("." + cfg.preview + "-note");
    if (note) note.textContent = "A picture of this view: its live dashboard did not start.";
    showBanner(
      "failed",
      "The dashboard did not start (" + why + "). The server may be busy: reload to try again.",
      true
    );
  }
  function lost() {
    if (S.state === "ended" || S.state === "failed" || unloading) return;
    if (S.state !== "lost") {
      log("lost");
      S.wasLive = S.state === "live" || (S.state === "resyncing" && S.wasLive);
      S.state = "lost";
      freeze(true);
      clearTimeout(resyncTimer);
      clearTimeout(lostNoticeTimer);
      lostNoticeTimer = setTimeout(function () {
        if (S.state === "lost")
          showBanner("lost", "Connection lost \u2014 reconnecting\u2026", false);
      }, cfg.lostNoticeAfter * 1000);
      clearTimeout(lostTimer);
      lostTimer = setTimeout(function () {
        end("the connection was not restored within " + cfg.reconnectTimeout + " s");
      }, cfg.reconnectTimeout * 1000);
    }
  }
  // Back from "lost": the socket is open again, and the widget manager asks the kernel for
  // every widget's state (ipywidgets' restore on reconnection) and sets them on the page. A
  // control moved before that reply is overwritten by it, and its message may never leave, so
  // the controls stay frozen until the reply has come (or resyncTimeout seconds at most).
  function reconnected() {
    if (S.state !== "lost") return;
    log("reconnected");
    clearTimeout(lostTimer);
    clearTimeout(lostNoticeTimer);
    S.reconnects += 1;
    S.failedOpens = 0;
    S.state = "resyncing";
    showBanner("reconnected", "Reconnected \u2014 bringing the controls up to date\u2026", false);
    clearTimeout(resyncTimer);
    resyncTimer = setTimeout(function () {
      resynced("no widget states within " + cfg.resyncTimeout + " s");
    }, cfg.resyncTimeout * 1000);
  }
  function resynced(why) {
    if (S.state !== "resyncing") return;
    log("resynced: " + why);
    clearTimeout(resyncTimer);
    unstick();
    freeze(false);
    S.state = S.wasLive ? "live" : "starting";
    showBanner("reconnected", "Reconnected.", false);
    setTimeout(function () {
      if (banner && banner.getAttribute("data-state") === "reconnected") hideBanner();
    }, cfg.reconnectedFor * 1000);
  }
  // ipywidgets sends a model's next change only once the kernel has answered the last one (its
  // "idle" status; later changes wait in a buffer). A reply lost with the connection (a proxy
  // that died while the kernel answered: seen in the hub test) leaves the model waiting for
  // good: that control never sends again. Once the states have come back, nothing sent before
  // the drop is still owed an answer worth waiting for, and page and kernel agree again: every
  // model stops waiting and drops what it held back (the kernel's state has won). The fields are
  // ipywidgets 8's WidgetModel's (_pending_msgs, _msg_buffer), reached through Voila's app.
  function unstick() {
    var app = window.jupyterapp;
    var manager = app && app.widgetManager;
    var models = manager && manager._models;
    if (!models) return;
    Object.keys(models).forEach(function (id) {
      Promise.resolve(models[id]).then(
        function (m) {
          if (!m || typeof m._pending_msgs !== "number" || m._pending_msgs <= 0) return;
          m._pending_msgs = 0;
          m._msg_buffer = null;
          m._msg_buffer_callbacks = null;
          S.unstuck += 1;
          log("unstuck " + id);
        },
        function () {}
      );
    });
  }
  // Whether a frame from the kernel is the widget states' reply (a v1 frame: a count of
  // offsets, the offsets, then channel, header, parent header, metadata, content, buffers): a
  // comm_msg whose content names the "update_states" method near its start.
  function isStatesReply(data) {
    if (!(data instanceof ArrayBuffer) || !decoder || data.byteLength < 64) return false;
    var view = new DataView(data);
    var n = view.getUint32(0, true);
    if (view.getUint32(4, true) !== 0 || n < 6 || n > 64 || 8 * (n + 1) > data.byteLength) {
      return false;
    }
    var at = function (i) {
      return view.getUint32(8 * (i + 1), true);
    };
    if (!(at(1) <= at(2) && at(2) <= data.byteLength)) return false;
    var header = decoder.decode(new Uint8Array(data, at(1), at(2) - at(1)));
    if (header.indexOf('"comm_msg"') < 0) return false;
    var start = at(4);
    var end = Math.min(at(5), start + 512, data.byteLength);
    if (!(start < end)) return false;
    return decoder.decode(new Uint8Array(data, start, end - start)).indexOf('"update_states"') >= 0;
  }

  // ---- the kernel websocket ----------------------------------------------------------------
  var decoder = typeof TextDecoder !== "undefined" ? new TextDecoder("utf-8") : null;
  var DEAD = /"execution_state"\s*:\s*"(dead|restarting|autorestarting)"/;
  function inspect(data) {
    var text = null;
    if (typeof data === "string") {
      if (data.length < 8192) text = data;
    } else if (data instanceof ArrayBuffer && decoder && data.byteLength < 8192) {
      text = decoder.decode(new Uint8Array(data));
    }
    if (text && text.indexOf('"status"') >= 0) {
      var m = DEAD.exec(text);
      if (m) end("kernel " + m[1]);
    }
  }
  var Native = window.WebSocket;
  function Watched(url, protocols) {
    var ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    var m = KERNEL_WS.exec(String(url));
    if (m) {
      var opened = false;
      S.kernelId = S.kernelId || decodeURIComponent(m[1]);
      ws.addEventListener("open", function () {
        opened = true;
        S.openSockets += 1;
        log("ws open");
        reconnected();
      });
      ws.addEventListener("message", function (ev) {
        inspect(ev.data);
        if (S.state === "resyncing" && isStatesReply(ev.data)) resynced("widget states");
      });
      ws.addEventListener("close", function (ev) {
        if (opened) S.openSockets -= 1;
        log("ws close " + ev.code + (opened ? "" : " (never opened)"));
        if (unloading || S.state === "ended") return;
        if (!opened) {
          S.failedOpens += 1;
          if (S.failedOpens >= cfg.maxFailedOpens) {
            end("the kernel cannot be reached");
            return;
          }
        }
        if (S.openSockets <= 0) lost();
      });
      (S.sockets = S.sockets || []).push(ws);
    }
    return ws;
  }
  Watched.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) {
    Watched[k] = Native[k];
  });
  window.WebSocket = Watched;

  window.addEventListener("beforeunload", function () {
    unloading = true;
  });
  window.addEventListener("pagehide", function () {
    unloading = true;
  });

  // ---- start-up progress -------------------------------------------------------------------
  var STEPS = [
    "running the dashboard's code",
    "connecting to its kernel",
    "drawing the controls",
    "drawing the plots",
  ];
  function step() {
    var loading = document.getElementById("loading");
    if (loading && loading.offsetParent !== null && !S.openSockets) return 1;
    if (!S.openSockets && !document.querySelector("." + cfg.dashboard)) return 2;
    var dash = document.querySelector("." + cfg.dashboard);
    if (!dash) return 3;
    var imgs = dash.querySelectorAll("." + cfg.panel + " img");
    if (!imgs.length) return 4;
    for (var i = 0; i < imgs.length; i++) {
      if (imgs[i].offsetParent === null) continue; // a hidden panel (rates, until chosen)
      if (!(imgs[i].complete && imgs[i].naturalWidth > 0)) return 4;
    }
    return 5;
  }
  // Checked on a timer, once exactly when the notice is due, and on every change to the page:
  // when Voila hides its "Executing k of n" spinner after startNoticeAfter seconds, the banner
  // takes its place in the same task (a 250 ms timer alone left the page blank for up to a
  // quarter second); before then a fast start shows no banner at all.
  function tick() {
    if (S.state === "ended") {
      stopWatching();
      return;
    }
    var elapsed = (performance.now() - t0) / 1000;
    var k = step();
    if (k === 5) {
      // drawn: also after the "did not start" message (an overloaded server got there late)
      stopWatching();
      dropPreview("live");
      if (S.state === "starting" || S.state === "failed") {
        S.state = "live";
        log("live");
        S.readyAt = Math.round(performance.now() - t0);
        var shown = banner && banner.getAttribute("data-state");
        if (shown === "starting" || shown === "failed") hideBanner();
      }
      return;
    }
    if (S.state !== "starting") return;
    if (elapsed > cfg.startTimeout) {
      stopWatching();
      fail("nothing was drawn within " + cfg.startTimeout + " s");
      return;
    }
    if (elapsed > cfg.startNoticeAfter) {
      showBanner(
        "starting",
        "Starting the dashboard \u2014 step " + k + " of 4: " + STEPS[k - 1] + "\u2026 (" +
          Math.round(elapsed) + " s)",
        false
      );
    }
  }
  var observer = typeof MutationObserver !== "undefined" ? new MutationObserver(tick) : null;
  function stopWatching() {
    clearInterval(startTimer);
    if (observer) observer.disconnect();
  }
  var startTimer = setInterval(tick, 250);
  setTimeout(tick, cfg.startNoticeAfter * 1000 + 1);
  if (observer) {
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["style", "class"],
    });
  }
})();
