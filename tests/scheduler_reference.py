"""The SQL the scheduler's queue and counts were built on before they were split into index
ranges and per-deck walks, kept verbatim: tests/test_scheduler_counts.py and
tests/test_scheduler_next_new.py compare today's scheduler with queries made of these, as the
old code made them. Params :learner, :decks, :now."""

OLD_STUDIED_CARDS = """
    FROM card_state cs
    JOIN cards c ON c.deck_id = cs.deck_id AND c.card_id = cs.card_id
    WHERE cs.learner_id = :learner AND cs.deck_id IN (SELECT value FROM json_each(:decks))
      AND c.removed_at IS NULL AND cs.suspended = 0 AND cs.last_review IS NOT NULL
      AND (cs.buried_until IS NULL OR cs.buried_until <= :now)
"""
OLD_UNSEEN_CARDS = """
    FROM cards c
    JOIN json_each(:decks) d ON d.value = c.deck_id
    LEFT JOIN card_state cs ON cs.learner_id = :learner AND cs.deck_id = c.deck_id
      AND cs.card_id = c.card_id
    WHERE c.removed_at IS NULL AND cs.last_review IS NULL
      AND coalesce(cs.suspended, 0) = 0
      AND (cs.buried_until IS NULL OR cs.buried_until <= :now)
"""
