"""The checks of "Neural Networks 2", one file per part; common.py and penalties.py hold what they share."""
