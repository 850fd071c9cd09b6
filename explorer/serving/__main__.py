"""``python -m explorer.serving``: the dashboard server, or (``… kernel -f …``) its lean kernel."""

import sys

from explorer.serving import kernel_main, main

if sys.argv[1:2] == ["kernel"]:
    kernel_main(sys.argv[2:])
else:
    main()
