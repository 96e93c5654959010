"""The Textual UI. Only this package imports Textual; everything it shows comes from the core."""
