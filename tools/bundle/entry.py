"""The bundle's program: `desktop.app.main`, as the `miniatures-tracker` command runs it."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A frozen program is its own Python: any child process multiprocessing starts runs
    # this file again, and must stop here instead of starting the app.
    multiprocessing.freeze_support()
    from desktop.app import main

    sys.exit(main(sys.argv[1:]))
