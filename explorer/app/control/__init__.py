"""Layer 6 of the app, the controller: the dashboard (one observer, the stale sets, the actions)
and a pre-heated kernel's wait for its page request."""
