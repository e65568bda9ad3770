"""Who may read the closed accounts and the purge log: the Métro's staff."""

import rules

from ess_metro.permissions import is_staff

rules.add_perm("privacy.see_register", is_staff)
