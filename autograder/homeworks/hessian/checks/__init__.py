"""The checks of "hessian", one file per answer; common.py holds the data sets and parameters they ask about."""
