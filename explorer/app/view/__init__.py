"""Layer 3 of the app, compute and view models: the one state → view path (:mod:`.compute`), every
view model (:mod:`.model`), readouts, CSV export. No matplotlib, no widgets."""
