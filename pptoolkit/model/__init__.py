"""The playbook's data types: diagnostics, the matrix of practices, the artifact kinds and the settings."""
