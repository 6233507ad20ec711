"""A labelled set of OIT evidence pages, written for ITA Desk in the shapes Thai agencies publish (no
real page is copied), served by a real HTTP server on 127.0.0.1, and the measurement of the checker's
accuracy on them: defects caught and false alarms, per finding code and overall (see corpus.py and
measure.py; bench/checker_accuracy.py prints the figures, test_checker_accuracy.py keeps them)."""
