"""Reporting a checked playbook: output formats, the review calendar, what a change does to coverage."""
