"""Studying alone: the FSRS policy (scheduler), the queue's SQL, grading answers, the session
that records them, and the counts of what is left."""
