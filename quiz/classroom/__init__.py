"""Teaching a class: seeded drills, the teacher's report with item statistics, and merging lab
machines' results into one file."""
