import sys

from seed.cli import main

if __name__ == "__main__":  # worker processes import this module too: only run here
    sys.exit(main())
