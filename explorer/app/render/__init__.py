"""Layer 4 of the app, rendering: Agg figures made once and mutated in place, all on one render
loop (:mod:`.loop`: blit, encode, hand the bytes on), and the server's previews. No widgets."""
