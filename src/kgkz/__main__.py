from .validate import main

raise SystemExit(main())
