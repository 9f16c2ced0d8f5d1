"""The seed job: migrate the database, load the authority register and the documents.

python -m seed                 # migrate, load the register and seed/documents/
python -m seed load PATH...    # load more files or folders
python -m seed reparse [--all] # re-extract documents an older parser version loaded
python -m seed sync            # fetch and load what Ofsted's reports site has that is new
"""

from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent
DOCUMENTS_DIR = SEED_DIR / "documents"
