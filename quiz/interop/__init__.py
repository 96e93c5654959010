"""Moving decks and review logs in and out of quiz: Anki packages, CSV and TSV.

Plain Python (no Textual). Each module takes data and returns data or writes one file; the
commands in quiz/cli/ handle options, messages and exit codes.
"""
