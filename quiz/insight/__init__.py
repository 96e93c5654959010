"""What a learner's history says: study statistics and their plain-text layout."""
