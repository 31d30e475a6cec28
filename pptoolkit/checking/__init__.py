"""Checking a loaded playbook: the rules, privacy, raw HTML, coverage, and the one `check` entry point."""
