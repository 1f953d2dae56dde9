"""One date format on every page: dd.mm.yyyy, and "kl. HH:MM" for times (Danish usage).

Only the output formats are set here; what forms accept stays Django's Danish (and ISO, which
the browsers' date fields send).
"""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = r"\k\l. H:i"
DATETIME_FORMAT = r"d.m.Y \k\l. H:i"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H:i"
