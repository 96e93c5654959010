"""The SQLite file: opening it safely, the schema and its numbered migrations, the tables'
queries, the one writer of answers and card states, doctor and backup. Knows nothing of decks'
YAML or of the screens: it stores rows."""
