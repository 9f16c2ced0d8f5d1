"""`python -m seed sync`: keep the database in step with Ofsted's reports site.

pages    the site's pages as they are shaped (pure: text in, providers and publications out)
limiter  how fast it may ask (an interval limiter on a replaceable clock)
robots   what a host's robots.txt allows
client   the polite HTTP client (robots, rate, conditional requests, retries)
records  what it keeps of the site in the database
options  what a sync is asked to do; plan: what to do with each publication listed
job      the sync itself; report: what it did, in words; progress: a bar or plain lines
command  the `sync` command's arguments
"""

from seed.sync.job import Sync
from seed.sync.options import SyncOptions, is_this_machine

__all__ = ["Sync", "SyncOptions", "is_this_machine"]
