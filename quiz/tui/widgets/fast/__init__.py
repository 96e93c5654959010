"""Widgets that stand in for Textual's own (Input, Footer, Header, Button rows, the vertical
layout) on the answer -> next card path, where a measurement showed the original was the cost
(bench/RESULTS.md). Each must look like the widget it replaces: tests/test_fast_widget_parity.py
renders both side by side and compares them, so a Textual upgrade cannot make them drift
silently."""
