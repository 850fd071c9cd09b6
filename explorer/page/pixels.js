/* Tells the kernel how many device pixels a plot occupies, so that it renders the plots sharp
 * (explorer.serving puts this script in every dashboard page, after session.js's configuration).
 *
 * The dashboard has a hidden text widget (class cfg.pixelRatio); this script writes
 * "<devicePixelRatio>:<CSS width of the widest visible plot>" into it, as typing would, when the
 * page is drawn and whenever that changes (window resized, zoomed, moved to another screen).
 * The kernel turns it into a render scale (explorer.app.control.dashboard.Dashboard.set_pixels) and
 * redraws; nothing else reads it, and a value the kernel cannot parse is ignored there.
 */
(function () {
  "use strict";
  if (window.__nacPixels) return;
  // class names from explorer.serving.pages (set in the page's head just before this script)
  var cfg = window.__nacSessionConfig;
  if (!cfg) return;
  var everyMs = 1000; // how often the plots' size is checked
  var P = (window.__nacPixels = { sent: null, sends: 0 });
  function measure() {
    var imgs = document.querySelectorAll("." + cfg.panel + " img");
    var w = 0;
    for (var i = 0; i < imgs.length; i++) {
      if (imgs[i].offsetParent === null) continue; // a hidden panel
      w = Math.max(w, imgs[i].clientWidth);
    }
    return w > 0 ? (window.devicePixelRatio || 1).toFixed(2) + ":" + Math.round(w) : null;
  }
  function send() {
    var input = document.querySelector("." + cfg.pixelRatio + " input");
    var text = measure();
    if (!input || !text || text === P.sent) return;
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    P.sent = text;
    P.sends += 1;
  }
  setInterval(send, everyMs);
  window.addEventListener("resize", function () {
    setTimeout(send, 200);
  });
})();
