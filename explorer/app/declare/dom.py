"""The DOM contract: CSS class names the page carries, for the browser tests and the page scripts.

Written once here; the app adds these classes and the browser tests and the serving layer's page
script (kernel-death banner, reload to the current view) import them.
"""

#: The whole dashboard (a VBox).
DASHBOARD = "nac-dashboard"
#: One panel (a VBox) and its channel-specific class (``PANEL + "-" + channel``).
PANEL = "nac-panel"
#: The anchor whose ``href`` is the current view's query string (``?target=Xe&mu=…``).
VIEW_LINK = "nac-view-link"
#: A notice box (clamped link parameters …) and an error box (a redraw failed).
NOTICE = "nac-notice"
ERROR = "nac-error"
#: The serving layer's page script (explorer/serving): the one "session has ended" / "starting"
#: banner at the top of the page, and its Reload button.
SESSION_BANNER = "nac-session-banner"
SESSION_RELOAD = "nac-session-reload"
#: Presentation mode: the class on the dashboard, the controls it folds away, and the large
#: crossover readout (the headline).
PRESENT = "nac-present"
ADVANCED = "nac-advanced"
HEADLINE = "nac-headline"
#: The box of the panels, the page's notice and error widgets, and the introduction text.
PANELS = "nac-panels"
#: The μν bar right above the plots: the μν switch and slider with the limit buttons (so that a
#: projector shows the slider with the plot it moves).
MOMENT = "nac-moment"
MESSAGES = "nac-messages"
INTRO = "nac-intro"
#: The hidden text widget the page script (explorer/page/pixels.js) writes the screen's pixel
#: ratio and the plots' width into.
PIXEL_RATIO = "nac-pixel-ratio"
#: The serving layer's previews (explorer/serving, explorer.app.render.preview): the block of the page's
#: first plots drawn by the server before the kernel is ready, and its images (with
#: ``PREVIEW_IMAGE + "-" + channel``); not the live plots' classes.
PREVIEW = "nac-preview"
PREVIEW_IMAGE = "nac-preview-image"
#: The moment-matrix mode's allowed-region panel (issue 22; shown in a matrix mode only).
REGION = "nac-region"
