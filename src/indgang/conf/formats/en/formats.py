"""The same day-month-year dates in English as in Danish (conf/formats/da), times on the 24-hour
clock: staff who switch language read the same dates."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
