"""What is taught: source articles, deck files (YAML, parsed and checked), the parsed-deck cache,
and decks as the store keeps them. Nothing here knows about learners or scheduling."""
