"""The `quiz` command: the click group (main), one module per subcommand, and what they share
(common: --db, opening the store, failing in one line; launch: starting the app)."""
